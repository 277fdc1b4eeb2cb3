/// What one destination receives in one message: alerts in full and, when there were more than the rate limit
/// allows in detail, a digest listing the rest.
///
/// Codable: the daemon journals `AlertBatch` values in the outbox (kind "alert", key = `destination`) and hands
/// them to the sender when delivering.
public struct AlertBatch: Sendable, Equatable, Codable {
    /// The destination's name in `alerts.destinations`.
    public var destination: String
    /// Alerts told in full (diff, events, reasons).
    public var alerts: [Alert]
    /// The alerts over the rate limit, summarized; nil when every alert is told in full.
    public var digest: AlertDigest?

    public init(destination: String, alerts: [Alert], digest: AlertDigest? = nil) {
        self.destination = destination
        self.alerts = alerts
        self.digest = digest
    }

    /// Alerts in the batch, told in full or in the digest.
    public var totalCount: Int { alerts.count + (digest?.count ?? 0) }

    /// The highest severity in the batch.
    public var severity: AlertSeverity {
        (alerts.map(\.severity) + [digest?.severity ?? .info]).max() ?? .info
    }

    /// A single alert without a digest: senders format it as one alert rather than a list.
    public var single: Alert? { alerts.count == 1 && digest == nil ? alerts[0] : nil }

    /// One line for subjects and notifications.
    public var title: String {
        if let single { return single.summary }
        let devices = Set(alerts.map(\.device)).union(digest?.devices ?? [])
        var counts: [String] = []
        let verdicts = Self.merged(alerts.compactMap { $0.verdict?.kind.rawValue }, digest?.verdicts ?? [:])
        for (name, count) in verdicts.sorted(by: { $0.key > $1.key }) { counts.append("\(count) \(name)") }
        let failures = Self.merged(
            alerts.filter { $0.kind == .failure }.compactMap { $0.failure?.rawValue }, digest?.failures ?? [:])
        for (name, count) in failures.sorted(by: { $0.key < $1.key }) { counts.append("\(count) \(name)") }
        let detail = counts.isEmpty ? "" : " (\(counts.joined(separator: ", ")))"
        return "\(totalCount) alerts on \(devices.count) devices\(detail)"
    }

    private static func merged(_ names: [String], _ counts: [String: Int]) -> [String: Int] {
        var result = counts
        for name in names { result[name, default: 0] += 1 }
        return result
    }
}

/// Alerts summarized rather than told in full: how many, which devices, how many of each verdict and failure.
public struct AlertDigest: Sendable, Equatable, Codable {
    /// One summarized alert.
    public struct Entry: Sendable, Equatable, Codable {
        public var device: String
        public var kind: Alert.Kind
        public var verdict: ChangeVerdict.Kind?
        public var failure: AlertFailureClass?
        public var severity: AlertSeverity
        public var summary: String
        public var commit: String?

        public init(_ alert: Alert) {
            device = alert.device
            kind = alert.kind
            verdict = alert.verdict?.kind
            failure = alert.failure
            severity = alert.severity
            summary = alert.summary
            commit = alert.commit
        }
    }

    /// Every summarized alert, in arrival order.
    public var entries: [Entry]

    public init(_ alerts: [Alert]) {
        entries = alerts.map(Entry.init)
    }

    public var count: Int { entries.count }

    /// The devices, sorted, each once.
    public var devices: [String] { Array(Set(entries.map(\.device))).sorted() }

    /// Changes per verdict (`unexpected: 990, expected: 10`).
    public var verdicts: [String: Int] {
        entries.reduce(into: [:]) { counts, entry in
            if let verdict = entry.verdict { counts[verdict.rawValue, default: 0] += 1 }
        }
    }

    /// Failures per class (recoveries not counted).
    public var failures: [String: Int] {
        entries.reduce(into: [:]) { counts, entry in
            if entry.kind == .failure, let failure = entry.failure { counts[failure.rawValue, default: 0] += 1 }
        }
    }

    public var severity: AlertSeverity { entries.map(\.severity).max() ?? .info }
}
