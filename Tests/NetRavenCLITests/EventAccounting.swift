import Foundation
import NetRavenJournal
import NetRavenTestSupport

/// Where every accepted (journaled) event ended, counted one by one: the proof of the crash tests that nothing a
/// daemon accepted is lost across a SIGKILL and a restart.
struct EventAccounting: CustomStringConvertible {
    /// Events in the journal.
    var accepted = 0
    /// Events held by a job that committed a version present in the archive.
    var committed = 0
    /// Events whose capture found the configuration already archived (an earlier job took the change).
    var unchanged = 0
    /// Events whose capture failed, with the failure class recorded.
    var failed = 0
    /// Events that no finished job holds: lost work.
    var unfinished: [String] = []
    /// Failed jobs without a recorded class or reason, and committed jobs whose commit the archive lacks.
    var unaccounted: [String] = []

    var description: String {
        "accepted \(accepted): committed \(committed), unchanged \(unchanged), failed \(failed), "
            + "unfinished \(unfinished.count), unaccounted \(unaccounted.count)"
    }

    /// Every accepted event ended in a commit, an unchanged capture or a recorded failure.
    var isComplete: Bool {
        unfinished.isEmpty && unaccounted.isEmpty && committed + unchanged + failed == accepted
    }

    /// Reads the journal at `journalPath` and checks each committed job's commit in the Git `archive` (reachable
    /// from HEAD: a commit the journal names but a crash left off the branch would be lost).
    static func take(journalPath: String, archive: String) async throws -> EventAccounting {
        let journal = try await EventJournal.open(path: journalPath)
        let events = try await journal.events(device: nil, limit: 10_000_000)
        let jobs = Dictionary(
            uniqueKeysWithValues: try await journal.jobs(device: nil, state: nil, limit: 10_000_000).map { ($0.id, $0) })
        let reachable = try tool("git", ["--git-dir", archive, "rev-list", "HEAD"]).stdout.split(separator: "\n")
        var account = EventAccounting()
        account.accepted = events.count
        for event in events {
            // The job that finished the event: a committing one first (an event during a collection is also
            // handed to the next job, which then finds nothing new).
            let finished = event.jobIDs.compactMap { jobs[$0] }.filter { $0.state.isFinished }
            if let job = finished.first(where: { $0.state == .committed }) {
                account.committed += 1
                // The journal may hold the short id.
                let commit = job.commit ?? ""
                if commit.isEmpty || !reachable.contains(where: { $0.hasPrefix(commit) }) {
                    account.unaccounted.append("\(job.id): commit \(job.commit ?? "nil") not on the archive's HEAD")
                }
            } else if finished.contains(where: { $0.state == .unchanged }) {
                account.unchanged += 1
            } else if let job = finished.first {
                account.failed += 1
                if job.failureCode?.isEmpty != false || job.failureReason?.isEmpty != false {
                    account.unaccounted.append("\(job.id): failed without a class or reason")
                }
            } else {
                account.unfinished.append(event.event.id)
            }
        }
        return account
    }
}
