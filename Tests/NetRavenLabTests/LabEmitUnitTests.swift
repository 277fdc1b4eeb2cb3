import Foundation
import Testing

@testable import NetRavenLab

/// The pieces of the emitter without sockets: BER, targets, message formats, config-mode editing.
@Suite struct LabEmitUnitTests {
    static let integers: [(Int64, [UInt8])] = [
        (0, [0x02, 0x01, 0x00]), (127, [0x02, 0x01, 0x7F]), (128, [0x02, 0x02, 0x00, 0x80]),
        (-1, [0x02, 0x01, 0xFF]), (-129, [0x02, 0x02, 0xFF, 0x7F]), (65_536, [0x02, 0x03, 0x01, 0x00, 0x00]),
    ]

    @Test(arguments: integers)
    func berIntegers(value: Int64, bytes: [UInt8]) {
        #expect(BER.integer(value) == bytes)
    }

    @Test func berOIDsLengthsAndTimeTicks() {
        // jnxCmCfgChange: 2636 = 20 * 128 + 76 → 0x94 0x4C.
        #expect(BER.oid(OID("1.3.6.1.4.1.2636.4.5.0.1").arcs)
            == [0x06, 0x0B, 0x2B, 0x06, 0x01, 0x04, 0x01, 0x94, 0x4C, 0x04, 0x05, 0x00, 0x01])
        #expect(BER.octetString([UInt8](repeating: 0x41, count: 200)).prefix(3) == [0x04, 0x81, 0xC8])
        #expect(BER.octetString([UInt8](repeating: 0x41, count: 300)).prefix(4) == [0x04, 0x82, 0x01, 0x2C])
        #expect(BER.unsigned32(UInt32.max, tag: BER.timeTicksTag) == [0x43, 0x05, 0x00, 0xFF, 0xFF, 0xFF, 0xFF])
    }

    @Test func trapMessageStructure() {
        let trap = LabTrap(trapOID: LabTrap.ciscoConfigManEvent, uptime: 100, varbinds: [])
        let bytes = trap.encoded(community: "public", requestID: 7)
        // SEQUENCE { INTEGER 1 (v2c), OCTET STRING "public", [7] ... }
        #expect(bytes[0] == 0x30 && Int(bytes[1]) == bytes.count - 2)
        #expect(Array(bytes[2..<5]) == [0x02, 0x01, 0x01])
        #expect(Array(bytes[5..<13]) == [0x04, 0x06] + Array("public".utf8))
        #expect(bytes[13] == 0xA7)
    }

    @Test func dateAndTimeIsElevenOctetsUTC() {
        // 2026-11-21 10:00:00.5 UTC
        #expect(LabTrap.dateAndTime(1_795_255_200.5) == [0x07, 0xEA, 11, 21, 10, 0, 0, 5, UInt8(ascii: "+"), 0, 0])
    }

    @Test func targetsParse() throws {
        #expect(try LabNotifyTarget(parsing: "127.0.0.1:5514", option: "--x")
            == LabNotifyTarget(host: "127.0.0.1", port: 5514, transport: .udp))
        #expect(try LabNotifyTarget(parsing: "collector:601/tcp", option: "--x").transport == .tcp)
        #expect(try LabNotifyTarget(parsing: "[::1]:514/udp", option: "--x").host == "::1")
        for bad in ["127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", ":514", "h:514/sctp"] {
            #expect(throws: LabError.self) { try LabNotifyTarget(parsing: bad, option: "--syslog-target") }
        }
        let error = try #require(throws: LabError.self) {
            try LabNotifyTarget(parsing: "h:162/tcp", option: "--trap-target", allowTCP: false)
        }
        #expect(error.message.contains("--trap-target") && error.code == .invalidArgument)
        #expect(try LabNotifySettings(parsing: "trap") == LabNotifySettings(syslog: false, trap: true))
        #expect(try LabNotifySettings(parsing: "none") == LabNotifySettings(syslog: false, trap: false))
        #expect(throws: LabError.self) { try LabNotifySettings(parsing: "syslog,email") }
    }

    @Test func perDeviceAddresses() throws {
        let configuration = LabConfiguration(addressPerDevice: "127.0.10.254")
        #expect(try configuration.address(ofDevice: 1) == "127.0.10.254")
        #expect(try configuration.address(ofDevice: 3) == "127.0.11.0")
        #expect(try LabConfiguration().address(ofDevice: 7) == "127.0.0.1")
        #expect(throws: LabError.self) { try LabConfiguration(addressPerDevice: "127.0.10").address(ofDevice: 1) }
        #expect(throws: LabError.self) {
            try LabConfiguration(addressPerDevice: "255.255.255.255").address(ofDevice: 2)
        }
    }

    func event(_ platform: LabPlatform, _ kind: LabChangeEvent.Kind, channel: LabChangeEvent.Channel = .cli,
        source: String? = "10.1.1.5", line: Int? = 3, comment: String? = nil, command: String? = nil) -> LabChangeEvent
    {
        LabChangeEvent(
            device: "r9", platform: platform, user: "jdoe", source: source, changeCount: 1, time: 1_795_255_200.123,
            kind: kind, channel: channel, line: line, comment: comment, command: command)
    }

    @Test func messageBodiesPerPlatform() {
        let f = LabSyslogFormatter(hostname: "r9", pid: 4009)
        #expect(f.bodies(for: event(.ciscoIOS, .configured))
            == ["%SYS-5-CONFIG_I: Configured from console by jdoe on vty3 (10.1.1.5)"])
        #expect(f.bodies(for: event(.ciscoIOS, .commandLogged, command: "interface Gi0/1"))
            == ["%PARSER-5-CFGLOG_LOGGEDCMD: User:jdoe  logged command:interface Gi0/1"])
        #expect(f.bodies(for: event(.ciscoIOS, .saved)).isEmpty)
        #expect(f.bodies(for: event(.ciscoNXOS, .configured))
            == ["%VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by jdoe on 10.1.1.5@pts/3"])
        #expect(f.bodies(for: event(.aristaEOS, .configEntered))
            == ["%SYS-5-CONFIG_E: Enter configuration mode from console by jdoe on vty3 (10.1.1.5)"])
        #expect(f.bodies(for: event(.aristaEOS, .configured, channel: .api))
            == ["%SYS-5-CONFIG_I: Configured from console by jdoe on command-api (10.1.1.5)"])
        #expect(f.bodies(for: event(.juniperJunos, .configured, comment: "CHG-1"))
            == ["UI_COMMIT: User 'jdoe' requested 'commit' operation (comment: CHG-1)",
                "UI_COMMIT_COMPLETED: commit complete"])
        #expect(f.frame("X", platform: .ciscoIOS, time: 1_795_255_200.123, sequence: 42)
            == "<189>42: *Nov 21 10:00:00.123: X")
        #expect(f.frame("X", platform: .ciscoNXOS, time: 1_795_255_200, sequence: 1)
            == "<189>: 2026 Nov 21 10:00:00 UTC: X")
        #expect(f.frame("X", platform: .aristaEOS, time: 1_794_304_800, sequence: 1)
            == "<165>Nov 10 10:00:00 r9 ConfigAgent: X")
        #expect(f.frame("X", platform: .juniperJunos, time: 1_793_613_600, sequence: 1)
            == "<189>Nov  2 10:00:00 r9 mgd[4009]: X")
    }

    @Test func configModeEditorAppliesInsideBlocks() {
        let config = "hostname r1\n!\ninterface Gi0/1\n description old\n shutdown\n!\nip cef\nend\n"
        let editor = ConfigModeEditor(platform: .ciscoIOS)
        var c = editor.apply("no shutdown", block: "interface Gi0/1", to: config)
        #expect(c == "hostname r1\n!\ninterface Gi0/1\n description old\n!\nip cef\nend\n")
        c = editor.apply("mtu 9000", block: "interface Gi0/1", to: c)
        #expect(c.contains("interface Gi0/1\n description old\n mtu 9000\n!\n"))
        c = editor.apply("interface Lo9", block: nil, to: c)
        c = editor.apply("ip address 10.9.9.9 255.255.255.255", block: "interface Lo9", to: c)
        #expect(c.hasSuffix("ip cef\ninterface Lo9\n ip address 10.9.9.9 255.255.255.255\nend\n"))
        c = editor.apply("no interface Gi0/1", block: nil, to: c)
        #expect(!c.contains("Gi0/1") && !c.contains("description old"))
        #expect(editor.apply("ip cef", block: nil, to: c) == c)  // already there
    }

    @Test func shellConfigModePromptsByteByByte() throws {
        let device = try LabDevice(
            name: "r1", platform: .ciscoNXOS, index: 1, username: "admin", password: "pw", enablePassword: "",
            config: "hostname r1\ninterface Ethernet1/1\n  description a\n", hostKeyFile: nil, now: 1_795_000_000)
        let events = Locked<[LabChangeEvent]>([])
        device.onEvent { e in events.withLock { $0.append(e) } }
        var shell = DeviceShell(device: device, user: "admin", peer: "10.1.1.5", line: 2)
        var out = ""
        for byte in "conf t\rint Ethernet1/1\rno description a\rdescription b\r\u{1A}".utf8 {
            for case .send(let s) in shell.receive([byte]) { out += s }
        }
        #expect(out.contains("Enter configuration commands, one per line.  End with CNTL/Z.\r\nr1(config)# "))
        #expect(out.contains("r1(config-if)# description b\r\nr1(config-if)# ^Z\r\nr1# "))
        #expect(device.config == "hostname r1\ninterface Ethernet1/1\n  description b\n")
        let kinds = events.withLock { $0.map(\.kind) }
        #expect(kinds == [.configEntered, .configured])
        let last = try #require(events.withLock { $0.last })
        #expect(last.user == "admin" && last.source == "10.1.1.5" && last.line == 2 && last.changed)
    }
}
