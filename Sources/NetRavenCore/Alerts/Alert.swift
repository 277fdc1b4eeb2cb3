public import Foundation

/// Something to tell people about: a committed change with its verdict, a persisting failure, or the end of one.
///
/// Codable because deliveries are journaled (the outbox stores the batch it will hand a sender).
public struct Alert: Sendable, Equatable, Codable, Identifiable {
    /// What the alert is about.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A configuration change was committed; `verdict` says whether it was expected.
        case change
        /// A failure of `failure`'s class, `consecutiveFailures` times in a row.
        case failure
        /// A failure streak ended: the device answered again after `consecutiveFailures` failures.
        case recovery
    }

    /// Unique id, for de-duplication by receivers.
    public var id: String
    public var kind: Kind
    /// The verdict for a change; nil for failures and recoveries.
    public var verdict: ChangeVerdict?
    /// The failure class for failures and recoveries; nil for changes.
    public var failure: AlertFailureClass?
    /// Failures in a row (for a recovery: how long the streak that ended was).
    public var consecutiveFailures: Int
    public var device: String
    public var group: String
    public var tags: [String]
    public var severity: AlertSeverity
    /// One line for people ("r1: unexpected change by nobody (found by sweep)").
    public var summary: String
    /// Why: the verdict's reasons, or the failure's error.
    public var reasons: [ChangeVerdict.Reason]
    /// Users named by the events.
    public var users: [String]
    /// The events that explain the change (who, from where, when, the raw message).
    public var events: [ChangeEvent]
    /// The archive commit of the change.
    public var commit: String?
    /// The unified diff of the change, as the archive shows it.
    public var diff: String?
    /// When it happened (commit time, or the failing attempt).
    public var time: Date

    public init(
        id: String = UUID().uuidString, kind: Kind, verdict: ChangeVerdict? = nil, failure: AlertFailureClass? = nil,
        consecutiveFailures: Int = 0, device: String, group: String = "default", tags: [String] = [],
        severity: AlertSeverity, summary: String, reasons: [ChangeVerdict.Reason] = [], users: [String] = [],
        events: [ChangeEvent] = [], commit: String? = nil, diff: String? = nil, time: Date
    ) {
        self.id = id
        self.kind = kind
        self.verdict = verdict
        self.failure = failure
        self.consecutiveFailures = consecutiveFailures
        self.device = device
        self.group = group
        self.tags = tags
        self.severity = severity
        self.summary = summary
        self.reasons = reasons
        self.users = users
        self.events = events
        self.commit = commit
        self.diff = diff
        self.time = time
    }

    /// A change alert: severity and reasons come from the verdict, users from the events.
    public static func change(
        device: Device, verdict: ChangeVerdict, events: [ChangeEvent], commit: String?, diff: String?, time: Date,
        summary: String? = nil
    ) -> Alert {
        var users: [String] = []
        for user in events.compactMap(\.user) where !users.contains(user) { users.append(user) }
        let who = users.isEmpty ? "nobody known" : users.joined(separator: ", ")
        let text = summary ?? "\(device.name): \(verdict.kind.rawValue) change by \(who)"
        return Alert(
            kind: .change, verdict: verdict, device: device.name, group: device.group, tags: device.tags,
            severity: verdict.severity, summary: text, reasons: verdict.reasons, users: users, events: events,
            commit: commit, diff: diff, time: time)
    }

    /// A failure alert for the `count`-th failure in a row; `detail` is the error (never containing a secret).
    public static func failure(
        _ failure: AlertFailureClass, device: Device, count: Int, detail: String, time: Date,
        severity: AlertSeverity = .critical
    ) -> Alert {
        Alert(
            kind: .failure, failure: failure, consecutiveFailures: count, device: device.name, group: device.group,
            tags: device.tags, severity: severity,
            summary: "\(device.name): \(failure.rawValue) (\(count) in a row)",
            reasons: [ChangeVerdict.Reason(code: failure.rawValue, detail: detail)], time: time)
    }

    /// A recovery alert: `failure` ended after `count` failures in a row.
    public static func recovery(_ failure: AlertFailureClass, device: Device, count: Int, time: Date) -> Alert {
        Alert(
            kind: .recovery, failure: failure, consecutiveFailures: count, device: device.name, group: device.group,
            tags: device.tags, severity: .info,
            summary: "\(device.name): recovered from \(failure.rawValue) after \(count) in a row",
            reasons: [ChangeVerdict.Reason(code: "recovered", detail: "\(failure.rawValue) ended")], time: time)
    }
}
