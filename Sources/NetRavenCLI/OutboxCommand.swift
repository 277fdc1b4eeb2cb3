import ArgumentParser
import Foundation
import NetRavenCore
import NetRavenJournal

extension NetRavenCommand {
    /// Lists the outbox: deliveries (pushes, uploads, alerts) still pending, and why.
    struct Outbox: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List pending deliveries (pushes, S3 uploads, alerts), oldest first: attempts, next try, why.",
            discussion: "Reads the journal; the daemon need not run. See docs/outbox.md.")

        @OptionGroup var global: GlobalOptions
        @Flag(name: .long, help: "Also list recently delivered and rejected items (newest first).")
        var all = false
        @Option(name: .long, help: "Show at most this many items of each list.")
        var limit = 100

        func validate() throws {
            if limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            let access = try await JournalAccess(global: global)
            let (all, limit) = (self.all, self.limit)
            let pending = try await access.query { try await $0.pendingItems(limit: limit) }
            var finished: [OutboxItem] = []
            if all { finished = try await access.query { try await $0.recentItems(limit: limit) } }
            if global.json {
                for item in pending + finished { Output.line(Self.json(item)) }
                return
            }
            let counts = try await access.query { try await $0.outboxCounts() }
            Output.line(Self.summary(counts))
            guard !(pending + finished).isEmpty else { return }
            var table = TextTable(["ID", "KIND", "KEY", "STATE", "ATTEMPTS", "CREATED", "NEXT ATTEMPT", "LAST ERROR"])
            for item in pending + finished {
                table.add([
                    String(item.id), item.kind, item.key, item.state.rawValue, String(item.attempts),
                    listingDate(item.createdAt), Self.when(item), Self.oneLine(item.lastError ?? "-"),
                ])
            }
            table.lines.forEach(Output.line)
        }

        /// "2 pending (push 1, s3-upload 1)" or "nothing pending"; with finished counts when there are any.
        static func summary(_ counts: [OutboxCount]) -> String {
            func part(_ state: OutboxState) -> String? {
                let rows = counts.filter { $0.state == state }
                let total = rows.reduce(0) { $0 + $1.count }
                guard total > 0 else { return nil }
                return "\(total) \(state.rawValue) (" + rows.map { "\($0.kind) \($0.count)" }.joined(separator: ", ") + ")"
            }
            let pending = part(.pending) ?? "nothing pending"
            return ([pending] + [part(.delivered), part(.rejected)].compactMap { $0 }).joined(separator: "; ")
        }

        /// A pending item's next attempt; a finished one's end.
        static func when(_ item: OutboxItem) -> String {
            switch item.state {
            case .pending: listingDate(item.nextAttemptAt)
            case .delivered, .rejected: item.finishedAt.map { "(\(item.state.rawValue) \(listingDate($0)))" } ?? "-"
            }
        }

        static func oneLine(_ text: String) -> String {
            text.split(whereSeparator: \.isNewline).joined(separator: " ")
        }

        static func json(_ item: OutboxItem) -> String {
            var line = jsonLine([
                ("kind", item.kind), ("key", item.key), ("state", item.state.rawValue),
                ("created_at", listingDate(item.createdAt)), ("updated_at", listingDate(item.updatedAt)),
                ("next_attempt_at", item.state == .pending ? listingDate(item.nextAttemptAt) : nil),
                ("finished_at", item.finishedAt.map(listingDate)), ("last_error", item.lastError),
            ])
            // Numbers and the payload (JSON already) are appended as they are.
            line.removeLast()
            line += ",\"id\":\(item.id),\"attempts\":\(item.attempts),\"payload\":\(compactJSON(item.payload))}"
            return line
        }

        /// The payload on one line (an enqueued payload may be pretty-printed); `null` if it is not JSON.
        static func compactJSON(_ data: Data) -> String {
            guard let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
                let compact = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])
            else { return "null" }
            return String(decoding: compact, as: UTF8.self)
        }
    }
}
