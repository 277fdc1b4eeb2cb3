import Foundation
import NetRavenCore
import NetRavenJournal
import NetRavenTestSupport
import Testing

/// `netraven outbox` through the binary, on a journal the test writes (no daemon running).
@Suite struct OutboxCommandTests {
    /// The journal commands' configuration (one device, a state directory without a journal yet).
    let base: JournalCommandTests
    var directory: TemporaryDirectory { base.directory }
    var config: String { base.config }

    init() throws {
        base = try JournalCommandTests()
    }

    @Test func missingJournalSaysSo() throws {
        let run = try netraven(["outbox", "--config", config])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("no journal at"), "\(run.stderr)")
    }

    @Test func listsWhatIsPendingAndWhyAndWithAllWhatFinished() async throws {
        let journal = try EventJournal(path: directory.path + "/state/journal.sqlite")
        let time = Date(timeIntervalSince1970: 1_790_000_000)
        let push = try await journal.enqueue(
            kind: "push", key: "archive", payload: Data("{\"commit\":\"3f9c0a1b2c4d\",\"device\":\"r1\"}".utf8),
            at: time)
        try await journal.markAttemptStarted(item: push.id, at: time)
        try await journal.markRetry(
            item: push.id, reason: "unreachable: failed to connect\nto git.example.net",
            nextAttemptAt: time.addingTimeInterval(40), at: time)
        let alert = try await journal.enqueue(kind: "alert", key: "noc-mail", payload: Data("{}".utf8), at: time)
        try await journal.markRejected(item: alert.id, reason: "550 mailbox unknown", at: time.addingTimeInterval(5))

        let table = try netraven(["outbox", "--config", config])
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(table.stdout)")
        #expect(lines[0] == "1 pending (push 1); 1 rejected (alert 1)")
        #expect(lines[1].hasPrefix("ID") && lines[1].contains("NEXT ATTEMPT") && lines[1].contains("LAST ERROR"))
        #expect(lines[2].contains("push") && lines[2].contains("archive") && lines[2].contains("2026-09-21T14:14:00Z"))
        #expect(lines[2].hasSuffix("unreachable: failed to connect to git.example.net"), "one line per item")
        #expect(!table.stdout.contains("noc-mail"), "finished items only with --all")

        let all = try netraven(["outbox", "--config", config, "--all"])
        #expect(all.stdout.contains("noc-mail") && all.stdout.contains("550 mailbox unknown"), "\(all.stdout)")

        let json = try netraven(["outbox", "--config", config, "--json", "--all"])
        #expect(json.status == 0, "\(json.stderr)")
        let objects = try json.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "\($0)")
        }
        #expect(objects.count == 2)
        #expect(objects[0]["kind"] as? String == "push" && objects[0]["attempts"] as? Int == 1)
        #expect(objects[0]["next_attempt_at"] as? String == "2026-09-21T14:14:00Z")
        #expect((objects[0]["payload"] as? [String: String]) == ["commit": "3f9c0a1b2c4d", "device": "r1"])
        #expect(objects[1]["state"] as? String == "rejected" && objects[1]["next_attempt_at"] is NSNull)

        let bad = try netraven(["outbox", "--config", config, "--limit", "0"])
        #expect(bad.status == 2 && bad.stderr.contains("--limit must be at least 1"), "\(bad.stderr)")
    }

    @Test func nothingPendingSaysSo() async throws {
        _ = try EventJournal(path: directory.path + "/state/journal.sqlite")
        let run = try netraven(["outbox", "--config", config])
        #expect(run.status == 0 && run.stdout == "nothing pending\n", "\(run.stdout)")
    }
}
