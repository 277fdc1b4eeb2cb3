import Foundation
import NetRavenAlerts
import NetRavenCore
import Testing

/// Alerts and batches the delivery tests send.
enum AlertSamples {
    static let time = Date(timeIntervalSince1970: 1_750_000_000)
    static let device = Device(
        name: "core-rtr-1", host: "10.0.0.1", platform: "cisco_ios", group: "core", tags: ["dc1"])

    /// A diff of `lines` changed lines after a hunk header.
    static func diff(lines: Int) -> String {
        let routes = (1...max(1, lines)).map {
            "+ip route 10.\($0 / 256).\($0 % 256).0 255.255.255.0 192.0.2.1 name r<\($0)>"
        }
        return (["--- a/core-rtr-1.cfg", "+++ b/core-rtr-1.cfg", "@@ -1,3 +1,\(lines) @@"] + routes)
            .joined(separator: "\n") + "\n"
    }

    static func unexpected(diffLines: Int = 4, device: Device = device) -> Alert {
        let verdict = ChangeVerdict(
            kind: .unexpected,
            reasons: [
                .init(code: "user-not-allowed", detail: "mallory may not change group core"),
                .init(code: "sensitive-lines", detail: "username lines changed"),
            ],
            severity: .critical)
        let event = ChangeEvent(
            id: "ev-1", kind: .syslog, device: device.name, user: "mallory", source: "203.0.113.9", time: time,
            raw: "%SYS-5-CONFIG_I: Configured from console by mallory on vty0 (203.0.113.9)", change: .committed)
        return Alert.change(
            device: device, verdict: verdict, events: [event], commit: "0123456789abcdef0123456789abcdef01234567",
            diff: diff(lines: diffLines), time: time)
    }

    static func single(_ destination: String, diffLines: Int = 4) -> AlertBatch {
        AlertBatch(destination: destination, alerts: [unexpected(diffLines: diffLines)])
    }

    /// A sweep's worth: `full` alerts told in full and the rest of `count` in the digest.
    static func digest(_ destination: String, count: Int, full: Int) -> AlertBatch {
        let alerts = (0..<count).map { index in
            unexpected(device: Device(name: "sw\(index)", host: "10.1.0.1", platform: "cisco_ios", group: "access"))
        }
        return AlertBatch(
            destination: destination, alerts: Array(alerts.prefix(full)),
            digest: AlertDigest(Array(alerts.dropFirst(full))))
    }
}

extension AlertDispatcher {
    /// Delivers a batch that must fail, and returns the error (nil, with an issue recorded, if it was delivered).
    func failure(_ batch: AlertBatch, to destination: AlertDestination) async -> AlertError? {
        do {
            try await deliver(batch, to: destination)
            Issue.record("\(destination.name): the delivery was expected to fail")
        } catch let error as AlertError {
            return error
        } catch {
            Issue.record("\(destination.name): not an AlertError: \(error)")
        }
        return nil
    }
}
