import Foundation
import GRDB
import NetRavenCore

/// Turns stored rows back into values; an unknown enum value is an error, not a crash.
enum JournalRows {
    /// Times are stored as seconds since 1970; rounding to the microsecond gives back the `Date` that was stored
    /// (a Double round trip through a different epoch could differ in the last bit).
    static func date(_ value: Double) -> Date {
        Date(timeIntervalSince1970: (value * 1_000_000).rounded() / 1_000_000)
    }

    static func date(_ value: Double?) -> Date? {
        value.map(date)
    }

    static func event(_ row: Row) throws -> ChangeEvent {
        let id: String = row["id"]
        let kindText: String = row["kind"]
        guard let kind = TriggerKind(rawValue: kindText) else {
            throw JournalError(.unreadable, "event \(id) has an unknown kind '\(kindText)'")
        }
        var change: ChangeKind?
        if let changeText: String = row["change_kind"] {
            guard let value = ChangeKind(rawValue: changeText) else {
                throw JournalError(.unreadable, "event \(id) has an unknown change kind '\(changeText)'")
            }
            change = value
        }
        return ChangeEvent(
            id: id, kind: kind, device: row["device"], user: row["user_name"], source: row["source"],
            time: date(row["event_time"] as Double), raw: row["raw"], change: change, commit: row["device_commit"],
            rule: row["rule"], comment: row["comment"])
    }

    static func job(_ row: Row, eventIDs: [String]) throws -> JournaledJob {
        let id: String = row["id"]
        let triggerText: String = row["trigger_kind"]
        guard let trigger = TriggerKind(rawValue: triggerText) else {
            throw JournalError(.unreadable, "job \(id) has an unknown trigger '\(triggerText)'")
        }
        let stateText: String = row["state"]
        guard let state = JobState(rawValue: stateText) else {
            throw JournalError(.unreadable, "job \(id) has an unknown state '\(stateText)'")
        }
        var job = JournaledJob(
            id: id, device: row["device"], trigger: trigger, state: state, eventIDs: eventIDs,
            createdAt: date(row["created_at"] as Double), startedAt: date(row["started_at"] as Double?),
            finishedAt: date(row["finished_at"] as Double?), commit: row["commit_id"], failureCode: row["failure_code"],
            failureReason: row["failure_reason"], attempts: row["attempts"])
        job.verdict = try verdict(row, job: id)
        return job
    }

    static func verdict(_ row: Row, job: String) throws -> ChangeVerdict? {
        guard let kindText: String = row["verdict"] else { return nil }
        guard let kind = ChangeVerdict.Kind(rawValue: kindText) else {
            throw JournalError(.unreadable, "job \(job) has an unknown verdict '\(kindText)'")
        }
        let severityText: String? = row["verdict_severity"]
        let severity = severityText.flatMap(AlertSeverity.init(rawValue:)) ?? (kind == .expected ? .info : .warning)
        var reasons: [ChangeVerdict.Reason] = []
        if let text: String = row["verdict_reasons"] {
            do {
                reasons = try JSONDecoder().decode([ChangeVerdict.Reason].self, from: Data(text.utf8))
            } catch {
                throw JournalError(.unreadable, "job \(job) has unreadable verdict reasons: \(error)")
            }
        }
        return ChangeVerdict(kind: kind, reasons: reasons, severity: severity)
    }
}
