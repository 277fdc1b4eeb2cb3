import Foundation
import NetRavenCore

/// A batch as a Slack incoming-webhook message: a fallback `text` and Block Kit blocks within Slack's limits
/// (3,000 characters per section, 150 per header, 50 blocks), diffs cut at whole lines with "… N more lines".
enum SlackMessage {
    static let sectionLimit = 3000
    static let headerLimit = 150
    /// Alerts shown in full in one message (each takes up to three blocks of the 50 allowed).
    static let maxAlerts = 10

    static func payload(_ batch: AlertBatch, maxDiffLines: Int) throws -> [UInt8] {
        var blocks: [[String: Any]] = [header(batch.title)]
        let shown = batch.alerts.prefix(maxAlerts)
        for alert in shown {
            blocks.append(section(details(alert)))
            if let diff = alert.diff, !diff.isEmpty, maxDiffLines > 0 {
                blocks.append(section(codeBlock(diff, maxLines: maxDiffLines)))
            }
            blocks.append(["type": "divider"])
        }
        let overflow = Array(batch.alerts.dropFirst(maxAlerts))
        if !overflow.isEmpty || batch.digest != nil {
            var entries = overflow.map(AlertDigest.Entry.init)
            entries += batch.digest?.entries ?? []
            var digest = AlertDigest([])
            digest.entries = entries
            blocks.append(section(digestText(digest)))
        }
        if blocks.last?["type"] as? String == "divider" { blocks.removeLast() }
        let message: [String: Any] = ["text": escape(batch.title), "blocks": blocks]
        return Array(try JSONSerialization.data(withJSONObject: message, options: [.sortedKeys]))
    }

    private static func header(_ text: String) -> [String: Any] {
        let cut = text.count > headerLimit ? String(text.prefix(headerLimit - 1)) + "…" : text
        return ["type": "header", "text": ["type": "plain_text", "text": cut]]
    }

    private static func section(_ markdown: String) -> [String: Any] {
        let cut = markdown.count > sectionLimit ? String(markdown.prefix(sectionLimit - 1)) + "…" : markdown
        return ["type": "section", "text": ["type": "mrkdwn", "text": cut]]
    }

    static func details(_ alert: Alert) -> String {
        var lines: [String] = []
        switch alert.kind {
        case .change:
            lines.append(
                "*\(escape(alert.device))*: \(alert.verdict?.kind.rawValue ?? "") change (\(alert.severity.rawValue))")
        case .failure:
            lines.append(
                "*\(escape(alert.device))*: \(alert.failure?.rawValue ?? "failure"), "
                    + "\(alert.consecutiveFailures) in a row (\(alert.severity.rawValue))")
        case .recovery:
            lines.append("*\(escape(alert.device))*: \(escape(alert.summary))")
        }
        lines.append(
            "*Group:* \(escape(alert.group))"
                + (alert.tags.isEmpty ? "" : "  *Tags:* \(escape(alert.tags.joined(separator: ", ")))"))
        if !alert.users.isEmpty { lines.append("*Users:* \(escape(alert.users.joined(separator: ", ")))") }
        for event in alert.events.prefix(5) {
            let from = event.source.map { " from \(escape($0))" } ?? ""
            let who = escape(event.user ?? "unknown user")
            lines.append("• \(event.kind.rawValue) \(who)\(from) at \(AlertText.timestamp(event.time))")
        }
        if let commit = alert.commit { lines.append("*Commit:* `\(escape(String(commit.prefix(12))))`") }
        for reason in alert.reasons { lines.append("• `\(escape(reason.code))` \(escape(reason.detail))") }
        return lines.joined(separator: "\n")
    }

    /// The diff in a code block; the fences and the note fit inside one section.
    static func codeBlock(_ diff: String, maxLines: Int) -> String {
        // Escaping can lengthen text (& → &amp;), so the excerpt is measured after escaping.
        let excerpt = DiffExcerpt(
            escape(diff.replacingOccurrences(of: "```", with: "'''")), maxLines: maxLines,
            maxCharacters: sectionLimit - 8)
        return "```\n" + excerpt.withNote + "\n```"
    }

    static func digestText(_ digest: AlertDigest) -> String {
        let counts =
            digest.verdicts.sorted { $0.key > $1.key }.map { "\($0.value) \($0.key)" }
            + digest.failures.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        let head =
            "*\(digest.count) more alerts* on \(digest.devices.count) devices"
            + (counts.isEmpty ? "" : " (\(counts.joined(separator: ", ")))") + ":\n"
        var listed: [String] = []
        var used = head.count
        for device in digest.devices {
            // Leave room for the "and N more" tail.
            guard used + device.count + 2 < sectionLimit - 40 else { break }
            listed.append(escape(device))
            used += device.count + 2
        }
        let rest = digest.devices.count - listed.count
        return head + listed.joined(separator: ", ") + (rest > 0 ? " and \(rest) more" : "")
    }

    /// Slack's mrkdwn control characters.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
