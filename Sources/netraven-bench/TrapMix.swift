import ArgumentParser
import Foundation
import NetRavenCore

/// The trap stream of the ingest benchmark: noise traps (link up/down, authentication failures, configuration
/// reads, entity changes) with a share of configuration-change traps, each from a device of the right vendor.
///
/// Every trap comes from `rules/fixtures/traps`, and each one's verdict under the trap rules is checked before
/// anything is sent, so the change count the tool prints is what a correct receiver must journal.
struct TrapMix {
    /// One trap: sender, contents, and whether it is a change.
    struct Trap {
        var device: Int
        var trapOID: String
        var varbinds: [(oid: String, value: SNMPValue)]
        var isChange: Bool
    }

    /// The change-trap fixture file (MIB) of each platform.
    static let changeMIB = [
        "cisco_ios": "CISCO-CONFIG-MAN-MIB", "cisco_nxos": "CISCO-CONFIG-MAN-MIB",
        "arista_eos": "ARISTA-CONFIG-MAN-MIB", "juniper_junos": "JUNIPER-CFGMGMT-MIB",
    ]

    let cycle: [Trap]

    init(devices: BenchDevices, rulesDirectory: String, changeShare: Double, length: Int = 10_000) throws {
        let rules = try TrapRuleBook.load(directory: rulesDirectory)
        let fixtures = try TrapFixture.loadAll(rulesDirectory: rulesDirectory)
        func mib(_ fixture: TrapFixture) -> String {
            ((fixture.file as NSString).lastPathComponent as NSString).deletingPathExtension
        }
        for fixture in fixtures where rules.classify(trapOID: fixture.trapOID, varbinds: fixture.varbinds).change
            != fixture.expected.change
        {
            throw ValidationError("trap fixture \(fixture) is classified against its expectation")
        }
        var changes: [String: [TrapFixture]] = [:]
        for platform in BenchDevices.platforms {
            changes[platform] = fixtures.filter { $0.expected.change && mib($0) == Self.changeMIB[platform] }
            if changes[platform]?.isEmpty ?? true {
                throw ValidationError("no change trap fixture for \(platform) in \(Self.changeMIB[platform] ?? "-")")
            }
        }
        let noise = fixtures.filter { !$0.expected.change }
        guard !noise.isEmpty else { throw ValidationError("no non-change trap fixture in \(rulesDirectory)") }
        cycle = devices.schedule(
            length: length, changeShare: changeShare,
            change: { device, round in
                let candidates = changes[devices.devices[device].platform] ?? []
                let fixture = candidates[round % candidates.count]
                return Trap(device: device, trapOID: fixture.trapOID, varbinds: fixture.varbinds, isChange: true)
            },
            noise: { device, round in
                let fixture = noise[round % noise.count]
                return Trap(device: device, trapOID: fixture.trapOID, varbinds: fixture.varbinds, isChange: false)
            })
    }
}
