import ArgumentParser
import Foundation
import NetRavenCore
import NetRavenJournal

extension NetRavenCommand {
    /// Lists capture jobs from the journal.
    struct Jobs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List capture jobs from the journal, newest first: state, attempts, commit or failure.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var filter: JournalListOptions
        @Option(name: .long, help: "Only jobs in this state: queued, running, committed, unchanged, failed.")
        var state: String?

        func validate() throws {
            if let state, JobState(rawValue: state) == nil {
                let names = JobState.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("--state must be one of \(names), not '\(state)'")
            }
        }

        func run() async throws {
            let access = try await JournalAccess(global: global)
            let wanted = state.flatMap(JobState.init(rawValue:))
            let device = filter.device
            let jobs = try await access.query { [filter] in
                try await $0.jobs(device: device, state: wanted, limit: filter.limit)
            }
            if global.json {
                for job in jobs { Output.line(Self.json(job)) }
                return
            }
            guard !jobs.isEmpty else {
                Output.line(
                    "no jobs in the journal" + (device.map { " for \($0)" } ?? "")
                        + (state.map { " in state \($0)" } ?? ""))
                return
            }
            var table = TextTable(["CREATED", "DEVICE", "TRIGGER", "STATE", "ATTEMPTS", "EVENTS", "JOB", "RESULT"])
            for job in jobs {
                table.add([
                    listingDate(job.createdAt), job.device, job.trigger.rawValue, job.state.rawValue,
                    String(job.attempts), String(job.eventIDs.count), job.id, Self.result(job),
                ])
            }
            table.lines.forEach(Output.line)
        }

        static func result(_ job: JournaledJob) -> String {
            switch job.state {
            case .committed:
                (job.commit.map { String($0.prefix(12)) } ?? "-")
                    + (job.verdict.map { " \($0.kind.rawValue): \($0.reasons.map(\.code).joined(separator: ","))" } ?? "")
            case .failed: "\(job.failureCode ?? "failed"): \(job.failureReason ?? "")"
            case .queued, .running, .unchanged: "-"
            }
        }

        static func json(_ job: JournaledJob) -> String {
            var line = jsonLine([
                ("id", job.id), ("device", job.device), ("trigger", job.trigger.rawValue),
                ("state", job.state.rawValue),
                ("created_at", listingDate(job.createdAt)),
                ("started_at", job.startedAt.map(listingDate)),
                ("finished_at", job.finishedAt.map(listingDate)), ("commit", job.commit),
                ("failure_code", job.failureCode), ("failure_reason", job.failureReason),
                ("verdict", job.verdict?.kind.rawValue), ("severity", job.verdict?.severity.rawValue),
            ])
            // Numbers and lists are not strings: appended as JSON of their own.
            line.removeLast()
            let reasons = (job.verdict?.reasons ?? []).map {
                "{\"code\":\(jsonString($0.code)),\"detail\":\(jsonString($0.detail))}"
            }
            line += ",\"attempts\":\(job.attempts),\"events\":[\(job.eventIDs.map(jsonString).joined(separator: ","))]"
                + ",\"verdict_reasons\":[\(reasons.joined(separator: ","))]}"
            return line
        }
    }
}
