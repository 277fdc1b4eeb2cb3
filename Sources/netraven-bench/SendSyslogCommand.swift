import ArgumentParser
import Foundation
import Synchronization

/// `netraven-bench send-syslog`: sends the benchmark's syslog mix over UDP, one socket per simulated device bound
/// to its own loopback address, paced or flat out, and prints what it sent as one JSON line.
struct SendSyslogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-syslog",
        abstract: "Send a realistic syslog mix (noise and change lines of four platforms) over UDP.",
        discussion: """
            Device i sends from 127.0.1.(i+1); --inventory writes the matching inventory file. Prints
            {"sent", "changes", "noise", "seconds", "offered_rate", "achieved_rate", "send_errors"} on stdout.
            """)

    @Option(help: "Receiver as IPV4:PORT.") var target: String
    @Option(help: "Messages to send.") var count: Int = 100_000
    @Option(help: "Messages per second; 0 sends as fast as possible.") var rate: Double = 0
    @Option(help: "Simulated devices (each with its own loopback source address).") var devices: Int = 8
    @Option(help: "Percentage of change lines in the mix.") var changePercent: Double = 1
    @Option(help: "The rules directory the lines are checked against.") var rules: String = "rules"
    @Option(help: "Write the devices' inventory file here (and send nothing when --count is 0).")
    var inventory: String?

    func validate() throws {
        try BenchDevices.validate(devices: devices, changePercent: changePercent, count: count, rate: rate)
    }

    func run() async throws {
        let fleet = BenchDevices(count: devices)
        try fleet.writeInventory(to: inventory)
        guard count > 0 else { return }
        let mix = try SyslogMix(devices: fleet, rulesDirectory: rules, changeShare: changePercent / 100)
        let destination = try UDPDestination(target)
        let sockets = try fleet.devices.map { try destination.socket(boundTo: $0.address) }
        defer { sockets.forEach { close($0) } }

        let cycle = mix.cycle
        let errors = Atomic<Int>(0)
        let seconds = await PacedLoop(count: count, rate: rate).run { index in
            let message = cycle[index % cycle.count]
            let sent = message.bytes.withUnsafeBytes { send(sockets[message.device], $0.baseAddress, $0.count, 0) }
            if sent < 0 { errors.add(1, ordering: .relaxed) }
        }
        let fullCycles = count / cycle.count
        let changesPerCycle = cycle.lazy.filter(\.isChange).count
        let changes = fullCycles * changesPerCycle + cycle.prefix(count % cycle.count).lazy.filter(\.isChange).count
        let report: [String: Any] = [
            "sent": count, "changes": changes, "noise": count - changes, "seconds": seconds,
            "offered_rate": rate, "achieved_rate": Double(count) / max(seconds, 1e-9),
            "send_errors": errors.load(ordering: .relaxed), "change_lines": mix.changeLines,
        ]
        let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
