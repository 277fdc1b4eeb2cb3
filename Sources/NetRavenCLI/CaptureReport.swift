import Foundation
import NetRavenAgent
import NetRavenCore

/// Prints capture results for people (aligned lines, a summary table) or scripts (JSON lines).
struct CaptureReport {
    let json: Bool

    func line(for result: CaptureResult) -> String {
        if json { return jsonLine(for: result) }
        let name = result.device.padding(toLength: max(result.device.count, 16), withPad: " ", startingAt: 0)
        switch result.outcome {
        case .changed(let commit, let insertions, let deletions, let isNew):
            let what = isNew ? "new" : "changed"
            let id = commit.map { "  \($0)" } ?? "  (dry run)"
            let verdict = result.verdict.map { "  \($0.kind.rawValue) (\($0.reasons.map(\.code).joined(separator: ", ")))" } ?? ""
            return "\(name)  \(what.padding(toLength: 9, withPad: " ", startingAt: 0)) +\(insertions) -\(deletions)\(id)\(verdict)"
        case .unchanged:
            return "\(name)  unchanged"
        case .failed(let error):
            return "\(name)  failed    \(error.code): \(error.message)"
        }
    }

    func jsonLine(for result: CaptureResult) -> String {
        var fields: [String] = ["\"device\":\(jsonString(result.device))", "\"job\":\(jsonString(result.jobID))"]
        switch result.outcome {
        case .changed(let commit, let insertions, let deletions, let isNew):
            fields.append("\"result\":\"changed\"")
            fields.append("\"commit\":\(commit.map(jsonString) ?? "null")")
            fields.append("\"insertions\":\(insertions),\"deletions\":\(deletions),\"new\":\(isNew)")
            if let verdict = result.verdict {
                let reasons = verdict.reasons.map { "{\"code\":\(jsonString($0.code)),\"detail\":\(jsonString($0.detail))}" }
                fields.append(
                    "\"verdict\":\(jsonString(verdict.kind.rawValue)),\"severity\":\(jsonString(verdict.severity.rawValue)),"
                        + "\"reasons\":[\(reasons.joined(separator: ","))]")
            }
        case .unchanged:
            fields.append("\"result\":\"unchanged\"")
        case .failed(let error):
            fields.append("\"result\":\"failed\",\"class\":\(jsonString("\(error.code)")),\"reason\":\(jsonString(error.message))")
        }
        fields.append("\"seconds\":\(String(format: "%.3f", result.duration)),\"attempts\":\(result.attempts)")
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// Counts by outcome and failure class.
    func summary(_ results: [CaptureResult], push: PushStatus, seconds: Double) -> [String] {
        var changed = 0
        var unchanged = 0
        var failures: [String: Int] = [:]
        for result in results {
            switch result.outcome {
            case .changed: changed += 1
            case .unchanged: unchanged += 1
            case .failed(let error): failures["\(error.code)", default: 0] += 1
            }
        }
        let failed = failures.values.reduce(0, +)
        if json {
            let classes = failures.keys.sorted().map { "\(jsonString($0)):\(failures[$0]!)" }.joined(separator: ",")
            return [
                "{\"summary\":{\"devices\":\(results.count),\"changed\":\(changed),\"unchanged\":\(unchanged),"
                    + "\"failed\":\(failed),\"failures\":{\(classes)},\"push\":\(jsonString(pushText(push))),"
                    + "\"seconds\":\(String(format: "%.1f", seconds))}}"
            ]
        }
        var lines = [
            "",
            "devices   changed   unchanged   failed   seconds",
            String(
                format: "%7d   %7d   %9d   %6d   %7.1f", results.count, changed, unchanged, failed, seconds),
        ]
        for (name, count) in failures.sorted(by: { $0.key < $1.key }) {
            lines.append("  failed \(name): \(count)")
        }
        lines.append("push: \(pushText(push))")
        return lines
    }

    func pushText(_ push: PushStatus) -> String {
        switch push {
        case .notConfigured: "no remote"
        case .pushed(let commit): "pushed \(commit)"
        case .upToDate: "up to date"
        case .failed(let reason): "FAILED, commits kept locally and pushed next time: \(reason)"
        }
    }
}
