import Foundation
import NetRavenCore

/// The JSON document webhooks and exec hooks receive (schema in docs/alerts.md).
///
/// `type` is `alert` for one alert (its fields are also at the top level, for simple receivers) and `digest` for
/// several; `alerts` always lists the alerts told in full and `digest` summarizes the rest.
struct AlertJSON: Encodable {
    let batch: AlertBatch

    private enum Keys: String, CodingKey {
        case version, type, destination, title, severity, count, alerts, digest
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(1, forKey: .version)
        try container.encode(batch.single == nil ? "digest" : "alert", forKey: .type)
        try container.encode(batch.destination, forKey: .destination)
        try container.encode(batch.title, forKey: .title)
        try container.encode(batch.severity, forKey: .severity)
        try container.encode(batch.totalCount, forKey: .count)
        try container.encode(batch.alerts.map(AlertFields.init), forKey: .alerts)
        try container.encode(batch.digest.map(DigestFields.init), forKey: .digest)
        // One alert: its fields at the top level too, so a receiver can read `device` and `diff` directly.
        if let single = batch.single { try AlertFields(single).encode(to: encoder) }
    }

    /// The document as bytes: keys sorted, dates in ISO 8601.
    static func encode(_ batch: AlertBatch) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Array(try encoder.encode(AlertJSON(batch: batch)))
    }
}

/// One alert in the JSON document.
private struct AlertFields: Encodable {
    let alert: Alert

    init(_ alert: Alert) { self.alert = alert }

    private enum Keys: String, CodingKey {
        case id, kind, device, group, tags, severity, summary, verdict, reasons, users, events, commit, diff, time
        case failure
        case consecutiveFailures = "consecutive_failures"
    }

    private struct EventFields: Encodable {
        let kind: String
        let user: String?
        let source: String?
        let time: Date
        let raw: String?
        let change: String?
        let commit: String?
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(alert.id, forKey: .id)
        try container.encode(alert.kind.rawValue, forKey: .kind)
        try container.encode(alert.device, forKey: .device)
        try container.encode(alert.group, forKey: .group)
        try container.encode(alert.tags, forKey: .tags)
        try container.encode(alert.severity, forKey: .severity)
        try container.encode(alert.summary, forKey: .summary)
        try container.encode(alert.verdict?.kind.rawValue, forKey: .verdict)
        try container.encode(alert.reasons.map { ["code": $0.code, "detail": $0.detail] }, forKey: .reasons)
        try container.encode(alert.users, forKey: .users)
        let events = alert.events.map {
            EventFields(
                kind: $0.kind.rawValue, user: $0.user, source: $0.source, time: $0.time, raw: $0.raw,
                change: $0.change?.rawValue, commit: $0.commit)
        }
        try container.encode(events, forKey: .events)
        try container.encode(alert.commit, forKey: .commit)
        try container.encode(alert.diff, forKey: .diff)
        try container.encode(alert.time, forKey: .time)
        try container.encode(alert.failure?.rawValue, forKey: .failure)
        try container.encode(alert.consecutiveFailures, forKey: .consecutiveFailures)
    }
}

/// The digest in the JSON document.
private struct DigestFields: Encodable {
    let count: Int
    let devices: [String]
    let verdicts: [String: Int]
    let failures: [String: Int]
    let entries: [AlertDigest.Entry]

    init(_ digest: AlertDigest) {
        count = digest.count
        devices = digest.devices
        verdicts = digest.verdicts
        failures = digest.failures
        entries = digest.entries
    }
}
