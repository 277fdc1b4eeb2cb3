import Foundation
import NetRavenCore

/// Plain-text rendering of alerts and batches for people (mail bodies, log lines).
enum AlertText {
    /// The longest diff put into a plain-text message, in lines; the archive keeps the whole one.
    static let maxDiffLines = 2000

    /// The whole batch: each alert told in full, then the digest.
    static func body(_ batch: AlertBatch, maxDiffLines: Int = maxDiffLines) -> String {
        var sections = batch.alerts.map { alertSection($0, maxDiffLines: maxDiffLines) }
        if let digest = batch.digest { sections.append(digestSection(digest, toldInFull: batch.alerts.count)) }
        return sections.joined(separator: "\n\n" + String(repeating: "-", count: 72) + "\n\n") + "\n"
    }

    static func alertSection(_ alert: Alert, maxDiffLines: Int) -> String {
        var lines = [alert.summary, ""]
        let tags = alert.tags.isEmpty ? "" : ", tags \(alert.tags.joined(separator: ", "))"
        lines.append("Device:    \(alert.device) (group \(alert.group)\(tags))")
        switch alert.kind {
        case .change:
            lines.append("Verdict:   \(alert.verdict?.kind.rawValue ?? "none") (\(alert.severity.rawValue))")
        case .failure, .recovery:
            let what = alert.kind == .failure ? "Failure" : "Recovered"
            lines.append(
                "\(what): \(alert.failure?.rawValue ?? "unknown"), \(alert.consecutiveFailures) in a row "
                    + "(\(alert.severity.rawValue))")
        }
        lines.append("Time:      \(timestamp(alert.time))")
        if !alert.users.isEmpty { lines.append("Users:     \(alert.users.joined(separator: ", "))") }
        if let commit = alert.commit { lines.append("Commit:    \(commit)") }
        if !alert.reasons.isEmpty {
            lines.append("Reasons:")
            lines += alert.reasons.map { "  - \($0.code): \($0.detail)" }
        }
        if !alert.events.isEmpty {
            lines.append("Events:")
            for event in alert.events {
                let who = event.user ?? "unknown user"
                let from = event.source.map { " from \($0)" } ?? ""
                lines.append("  - \(timestamp(event.time)) \(event.kind.rawValue): \(who)\(from)")
                if let raw = event.raw { lines.append("    \(raw)") }
            }
        }
        if let diff = alert.diff, !diff.isEmpty {
            lines += ["", "Diff:", DiffExcerpt(diff, maxLines: maxDiffLines, maxCharacters: 1 << 20).withNote]
        }
        return lines.joined(separator: "\n")
    }

    static func digestSection(_ digest: AlertDigest, toldInFull: Int) -> String {
        let more = toldInFull > 0 ? " more" : ""
        var lines = ["\(digest.count)\(more) alerts over the rate limit, in summary:"]
        let counts =
            digest.verdicts.sorted { $0.key > $1.key }.map { "\($0.value) \($0.key)" }
            + digest.failures.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        if !counts.isEmpty { lines.append(counts.joined(separator: ", ")) }
        lines.append("")
        lines += digest.entries.map { entry in
            "  \(entry.device): \(entry.summary)\(entry.commit.map { " [\($0.prefix(12))]" } ?? "")"
        }
        return lines.joined(separator: "\n")
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
