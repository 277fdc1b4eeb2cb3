public import Foundation

/// Why a capture ran.
public enum TriggerKind: String, Sendable, Codable, CaseIterable {
    case manual, sweep, syslog, trap, api
}

/// What a device says happened to its configuration.
public enum ChangeKind: String, Sendable, Codable, CaseIterable {
    /// The running configuration changed (IOS `CONFIG_I`, Junos `UI_COMMIT`, a config command logged).
    case committed
    /// The running configuration was saved to startup (`write memory`, `copy run start`).
    case saved
    /// A rollback or configuration replace.
    case rollback
}

/// An event that explains a capture: who changed what, from where, when, and the raw message.
public struct ChangeEvent: Sendable, Equatable, Codable {
    public var id: String
    public var kind: TriggerKind
    public var device: String
    /// The user the device names (nil when it names only a line such as `console`).
    public var user: String?
    /// The remote address when given, else the line or channel (`vty0`, `console`), else nil.
    public var source: String?
    public var time: Date
    public var raw: String?
    /// What the device says happened; nil for events that carry no such statement (manual, api).
    public var change: ChangeKind?
    /// The device's own commit or transaction id, when the message carries one.
    public var commit: String?
    /// The rule that classified the message (`cisco_ios.config_i`, `CISCO-CONFIG-MAN-MIB.ciscoConfigManEvent`).
    public var rule: String?
    /// The commit comment the device reports (Junos `commit comment`, IOS XR `commit comment`), when it does.
    public var comment: String?

    public init(
        id: String, kind: TriggerKind, device: String, user: String? = nil, source: String? = nil, time: Date,
        raw: String? = nil, change: ChangeKind? = nil, commit: String? = nil, rule: String? = nil,
        comment: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.device = device
        self.user = user
        self.source = source
        self.time = time
        self.raw = raw
        self.change = change
        self.commit = commit
        self.rule = rule
        self.comment = comment
    }
}

/// The commit message for a captured change: a summary, the events in the body, and trailers tools can parse.
public struct CommitMessage: Sendable, Equatable {
    public var device: String
    public var trigger: TriggerKind
    public var jobID: String
    public var events: [ChangeEvent]
    /// The archive had no version of this device yet.
    public var isFirstCapture: Bool
    /// Whether the change was expected; written as `Verdict:` and `Verdict-Reason:` trailers.
    public var verdict: ChangeVerdict?

    public init(
        device: String, trigger: TriggerKind, jobID: String, events: [ChangeEvent] = [], isFirstCapture: Bool = false,
        verdict: ChangeVerdict? = nil
    ) {
        self.device = device
        self.trigger = trigger
        self.jobID = jobID
        self.events = events
        self.isFirstCapture = isFirstCapture
        self.verdict = verdict
    }

    /// The user who made the change, when the events name one (the most recent event wins).
    public var changedBy: String? { events.last { $0.user != nil }?.user }
    public var changedFrom: String? { events.last { $0.source != nil }?.source }

    public var text: String {
        var summary = "\(device): \(isFirstCapture ? "first capture" : "configuration changed") (\(trigger.rawValue)"
        if let user = changedBy { summary += " by \(user)" }
        summary += ")"
        var lines = [summary, ""]
        if isFirstCapture && events.isEmpty {
            lines.append("First version of this device in the archive.")
        } else if events.isEmpty {
            lines.append(
                trigger == .sweep
                    ? "Found by a scheduled sweep; no event explained this change."
                    : "Captured on request (\(trigger.rawValue)).")
        } else {
            lines.append("Events:")
            let formatter = ISO8601DateFormatter()
            for event in events {
                var line = "- \(formatter.string(from: event.time)) \(event.kind.rawValue) \(event.id)"
                if let user = event.user { line += " user=\(user)" }
                if let source = event.source { line += " from=\(source)" }
                if let comment = event.comment { line += " comment=\"\(Self.oneLine(comment))\"" }
                lines.append(line)
                if let raw = event.raw { lines.append("  \(Self.oneLine(raw))") }
            }
        }
        lines.append("")
        var trailers: [(String, String)] = [("Trigger", trigger.rawValue), ("Device", device)]
        for event in events { trailers.append(("Event-Id", event.id)) }
        if let user = changedBy { trailers.append(("Changed-By", Self.oneLine(user))) }
        if let source = changedFrom { trailers.append(("Changed-From", Self.oneLine(source))) }
        trailers.append(("Job-Id", jobID))
        if let verdict {
            trailers.append(("Verdict", verdict.kind.rawValue))
            for reason in verdict.reasons { trailers.append(("Verdict-Reason", Self.oneLine("\(reason)"))) }
        }
        lines += trailers.map { "\($0.0): \($0.1)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Message text from devices may hold newlines; a trailer or an indented body line must stay one line.
    static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }
}
