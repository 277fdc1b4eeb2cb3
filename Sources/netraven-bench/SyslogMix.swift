import ArgumentParser
import Foundation
import NetRavenCore

/// The realistic syslog stream of the ingest benchmark: mostly noise (link flaps, logins, ACL hits, routing
/// adjacencies) with a share of configuration-change lines, for the four lab platforms.
///
/// Change lines are the lab's own formats (as `LabSyslogFormatter` frames them) plus every change sample of the
/// platform's `rules/fixtures/syslog` file; noise lines are typical messages of each platform. Every line is checked
/// against the change rules before anything is sent: a change line our rules do not take, or a noise line they do,
/// stops the tool, so the counts it prints are the counts a correct receiver must see.
struct SyslogMix {
    /// One datagram and whether it is a change.
    struct Message {
        var device: Int
        var bytes: [UInt8]
        var isChange: Bool
    }

    /// The lab formatter's change lines per platform (hostname r1).
    static let labChanges: [String: [String]] = [
        "cisco_ios": [
            "<189>4711: *Nov 21 10:00:00.123: %SYS-5-CONFIG_I: Configured from console by jdoe on vty0 (10.1.1.5)",
            "<189>4712: *Nov 21 10:00:01.456: %PARSER-5-CFGLOG_LOGGEDCMD: User:jdoe  logged command:ip domain-name lab",
        ],
        "cisco_nxos": [
            "<189>: 2026 Nov 21 10:00:00 UTC: %VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by jdoe on "
                + "10.1.1.5@pts/0"
        ],
        "arista_eos": [
            "<165>Nov 21 10:00:00 r1 ConfigAgent: %SYS-5-CONFIG_I: Configured from console by jdoe on vty1 (10.1.1.5)"
        ],
        "juniper_junos": [
            "<189>Nov 21 10:00:00 r1 mgd[4242]: UI_COMMIT: User 'jdoe' requested 'commit' operation (comment: none)"
        ],
    ]

    /// Typical non-change traffic per platform.
    static let noise: [String: [String]] = [
        "cisco_ios": [
            "<187>48216: Nov 21 10:00:00.100 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down",
            "<189>48217: Nov 21 10:00:00.200 UTC: %LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet0/1, "
                + "changed state to up",
            "<190>48218: Nov 21 10:00:01.000 UTC: %SEC-6-IPACCESSLOGP: list 101 denied tcp 198.51.100.23(51234) -> "
                + "10.0.0.1(22), 1 packet",
            "<189>48219: Nov 21 10:00:02.000 UTC: %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: admin] "
                + "[Source: 10.0.0.5] [localport: 22] at 10:00:02 UTC Sat Nov 21 2026",
            "<189>48220: Nov 21 10:00:03.000 UTC: %BGP-5-ADJCHANGE: neighbor 192.0.2.1 Up",
        ],
        "cisco_nxos": [
            "<187>: 2026 Nov 21 10:00:00 UTC: %ETHPORT-5-IF_DOWN_LINK_FAILURE: Interface Ethernet1/1 is down "
                + "(Link failure)",
            "<189>: 2026 Nov 21 10:00:01 UTC: %ETHPORT-5-IF_UP: Interface Ethernet1/2 is up in mode access",
            "<190>: 2026 Nov 21 10:00:02 UTC: %AUTHPRIV-6-SYSTEM_MSG: pam_unix(sshd:session): session opened for "
                + "user admin by (uid=0) - sshd[12345]",
            "<189>: 2026 Nov 21 10:00:03 UTC: %BGP-5-ADJCHANGE:  bgp- [12345] (default) neighbor 192.0.2.9 Up",
        ],
        "arista_eos": [
            "<187>Nov 21 10:00:00 r1 Ebra: %LINEPROTO-5-UPDOWN: Line protocol on Interface Ethernet3, changed state "
                + "to down",
            "<190>Nov 21 10:00:01 r1 Lldp: %LLDP-5-NEIGHBOR_NEW: LLDP neighbor with chassisId 001c.7300.0001 and "
                + "portId \"Ethernet1\" added on interface Ethernet1",
            "<189>Nov 21 10:00:02 r1 Bgp: %BGP-5-ADJCHANGE: peer 192.0.2.5 (VRF default AS 65001) old state "
                + "OpenConfirm event Established new state Established",
        ],
        "juniper_junos": [
            "<189>Nov 21 10:00:00 r1 mib2d[1402]: SNMP_TRAP_LINK_DOWN: ifIndex 526, ifAdminStatus up(1), "
                + "ifOperStatus down(2), ifName ge-0/0/1",
            "<190>Nov 21 10:00:01 r1 mgd[1234]: UI_CMDLINE_READ_LINE: User 'admin', command 'show interfaces terse '",
            "<38>Nov 21 10:00:02 r1 sshd[4242]: Accepted publickey for admin from 10.0.0.5 port 51234 ssh2",
            "<28>Nov 21 10:00:03 r1 rpd[1500]: RPD_OSPF_NBRDOWN: OSPF neighbor 192.0.2.14 (realm ospf-v2 ge-0/0/2.0 "
                + "area 0.0.0.0) state changed from Full to Down due to InActiveTimer",
        ],
    ]

    /// The messages of one cycle, in sending order; the stream repeats it.
    let cycle: [Message]
    /// Change lines per platform after checking (for the tool's report).
    let changeLines: [String: Int]

    /// Builds a cycle of `length` messages of which every `1 / changeShare`-th is a change, changes and noise each
    /// rotating over the devices and over their platform's lines.
    init(devices: BenchDevices, rulesDirectory: String, changeShare: Double, length: Int = 20_000) throws {
        let rules = try SyslogRuleBook.load(directory: rulesDirectory)
        var changes: [String: [String]] = [:]
        for platform in BenchDevices.platforms {
            let fixture = try SyslogFixture.load(
                path: (rulesDirectory as NSString).appendingPathComponent("fixtures/syslog/\(platform).yaml"))
            let samples = fixture.cases.filter { $0.expected.change && ($0.platform ?? platform) == platform }
                .map(\.line)
            changes[platform] = try (Self.labChanges[platform] ?? []) + samples.filter {
                try Self.classify($0, platform: platform, rules: rules)
            }
            for line in Self.noise[platform] ?? [] where try Self.classify(line, platform: platform, rules: rules) {
                throw ValidationError("noise line is a change for \(platform) by the rules: \(line)")
            }
            for line in Self.labChanges[platform] ?? []
            where try !Self.classify(line, platform: platform, rules: rules) {
                throw ValidationError("lab change line is not a change for \(platform) by the rules: \(line)")
            }
        }
        changeLines = changes.mapValues(\.count)
        func message(_ table: [String: [String]], isChange: Bool) -> (Int, Int) -> Message {
            { device, round in
                let lines = table[devices.devices[device].platform] ?? []
                return Message(device: device, bytes: Array(lines[round % lines.count].utf8), isChange: isChange)
            }
        }
        cycle = devices.schedule(
            length: length, changeShare: changeShare, change: message(changes, isChange: true),
            noise: message(Self.noise, isChange: false))
    }

    private static func classify(_ line: String, platform: String, rules: SyslogRuleBook) throws -> Bool {
        let message: SyslogMessage
        do {
            message = try SyslogMessage.parse(Array(line.utf8))
        } catch {
            throw ValidationError("line does not parse (\(error.code)): \(line)")
        }
        return rules.classify(message, platform: platform).change
    }
}
