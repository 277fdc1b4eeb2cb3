import ArgumentParser
import Foundation
import NetRavenCore
import NetRavenSNMP

/// `netraven-bench send-traps`: sends SNMPv2c or SNMPv3 authPriv traps (change traps of each device's vendor among
/// noise traps) through net-snmp, one session per simulated device bound to its loopback address, paced or flat out.
struct SendTrapsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-traps",
        abstract: "Send SNMP traps (v2c or v3 authPriv): configuration-change traps among noise traps.",
        discussion: """
            Device i sends from 127.0.1.(i+1) with engine id 80001f8804 + "bench-<i+1>" (v3). The community and the
            v3 passphrases come from NETRAVEN_BENCH_COMMUNITY, NETRAVEN_BENCH_AUTH and NETRAVEN_BENCH_PRIV (defaults:
            bench-community, bench-auth-pass, bench-priv-pass; user "bench", SHA and AES). --describe prints the
            devices and engine ids as JSON; otherwise prints {"sent", "changes", "noise", "seconds", ...}.
            """)

    enum Version: String, ExpressibleByArgument { case v2c, v3 }

    @Option(help: "Receiver as IPV4:PORT.") var target: String = "127.0.0.1:162"
    @Option(help: "v2c or v3 (authPriv).") var version: Version = .v2c
    @Option(help: "Traps to send.") var count: Int = 10_000
    @Option(help: "Traps per second; 0 sends as fast as possible.") var rate: Double = 0
    @Option(help: "Simulated devices (each with its own loopback source address).") var devices: Int = 4
    @Option(help: "Percentage of change traps in the mix.") var changePercent: Double = 1
    @Option(help: "The rules directory the traps come from and are checked against.") var rules: String = "rules"
    @Option(help: "net-snmp's state directory for this process.") var stateDir: String?
    @Flag(help: "Print the devices (name, address, platform, engine id) as JSON and send nothing.")
    var describe = false

    static let userName = "bench"

    /// net-snmp's enterprise (8072), format 4 (text), then the device's name.
    static func engineID(device index: Int) -> [UInt8] {
        [0x80, 0x00, 0x1F, 0x88, 0x04] + Array("bench-\(index + 1)".utf8)
    }

    func validate() throws {
        try BenchDevices.validate(devices: devices, changePercent: changePercent, count: count, rate: rate)
    }

    func run() async throws {
        let fleet = BenchDevices(count: devices)
        let environment = ProcessInfo.processInfo.environment
        if describe {
            let list = fleet.devices.enumerated().map { index, device -> [String: String] in
                let hex = Self.engineID(device: index).map { String(format: "%02x", $0) }.joined()
                return ["name": device.name, "address": device.address, "platform": device.platform, "engine_id": hex]
            }
            let description: [String: Any] = ["devices": list, "user": Self.userName]
            let data = try JSONSerialization.data(withJSONObject: description, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let mix = try TrapMix(devices: fleet, rulesDirectory: rules, changeShare: changePercent / 100)
        let parts = target.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else { throw ValidationError("--target must be IPV4:PORT") }
        let stateDirectory = stateDir ?? NSTemporaryDirectory() + "netraven-bench-snmp-\(getpid())"
        let senders = try fleet.devices.enumerated().map { index, device in
            let credentials: TrapSender.Credentials
            switch version {
            case .v2c:
                credentials = .v2c(community: Secret(environment["NETRAVEN_BENCH_COMMUNITY"] ?? "bench-community"))
            case .v3:
                credentials = .v3(
                    SNMPUser(
                        name: Self.userName, authProtocol: .sha,
                        authSecret: Secret(environment["NETRAVEN_BENCH_AUTH"] ?? "bench-auth-pass"),
                        privacyProtocol: .aes,
                        privacySecret: Secret(environment["NETRAVEN_BENCH_PRIV"] ?? "bench-priv-pass"),
                        engineID: Self.engineID(device: index)))
            }
            return try TrapSender(
                host: String(parts[0]), port: port, credentials: credentials, stateDirectory: stateDirectory,
                sourceAddress: device.address)
        }
        let cycle = mix.cycle
        let failures = SendFailures()
        let seconds = await PacedLoop(count: count, rate: rate).run { index in
            let trap = cycle[index % cycle.count]
            do {
                try senders[trap.device].send(trapOID: trap.trapOID, varbinds: trap.varbinds)
            } catch {
                failures.record(error)
            }
        }
        let changes = (0..<count).reduce(0) { $0 + (cycle[$1 % cycle.count].isChange ? 1 : 0) }
        let report: [String: Any] = [
            "sent": count, "changes": changes, "noise": count - changes, "seconds": seconds,
            "version": version.rawValue,
            "offered_rate": rate, "achieved_rate": Double(count) / max(seconds, 1e-9),
            "send_errors": failures.count, "first_error": failures.first ?? "",
        ]
        let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
