import Foundation
import GRDB
import NetRavenCore
import NetRavenTestSupport
import Testing

@testable import NetRavenJournal

/// The journal's outbox on a real SQLite file: per-key order, coalescing, due times, restarts, retention.
@Suite struct OutboxJournalTests {
    /// The journal tests' temporary file and error expectation.
    let base: EventJournalTests
    var path: String { base.path }

    init() throws {
        base = try EventJournalTests()
    }

    static let start = Date(timeIntervalSince1970: 1_790_000_000.25)

    static func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    static func payload(_ text: String) -> Data { Data("{\"n\":\"\(text)\"}".utf8) }

    @Test func itemsOfOneKeyComeOutOneAtATimeInOrderOtherKeysInParallel() async throws {
        let journal = try EventJournal(path: path)
        let a1 = try await journal.enqueue(kind: "s3-upload", key: "r1", payload: Self.payload("a1"), at: Self.at(0))
        let b1 = try await journal.enqueue(kind: "s3-upload", key: "r2", payload: Self.payload("b1"), at: Self.at(1))
        let a2 = try await journal.enqueue(kind: "s3-upload", key: "r1", payload: Self.payload("a2"), at: Self.at(2))
        // Same key, other kind: ordered separately.
        let c1 = try await journal.enqueue(kind: "alert", key: "r1", payload: Self.payload("c1"), at: Self.at(3))
        #expect(a1.state == .pending && a1.attempts == 0 && a1.nextAttemptAt == Self.at(0) && a1.createdAt == Self.at(0))
        #expect(try a1.decodePayload([String: String].self) == ["n": "a1"])

        #expect(try await journal.dueItems(at: Self.at(10), limit: 10).map(\.id) == [a1.id, b1.id, c1.id])
        #expect(try await journal.dueItems(at: Self.at(10), kinds: ["alert"], limit: 10).map(\.id) == [c1.id])
        #expect(try await journal.dueItems(at: Self.at(10), kinds: [], limit: 10).isEmpty)
        #expect(try await journal.dueItems(at: Self.at(10), limit: 1).map(\.id) == [a1.id], "soonest due first")
        #expect(try await journal.dueItems(at: Self.at(0.5), limit: 10).map(\.id) == [a1.id], "not due yet")

        // While a1 is in flight its key hands out nothing, not even a2.
        let started = try await journal.markAttemptStarted(item: a1.id, at: Self.at(10))
        #expect(started.attempts == 1)
        #expect(try await journal.dueItems(at: Self.at(10), limit: 10).map(\.id) == [b1.id, c1.id])
        // a1 fails: retried in a minute; a2 still waits behind it.
        try await journal.markRetry(item: a1.id, reason: "503 Service Unavailable", nextAttemptAt: Self.at(70), at: Self.at(11))
        #expect(try await journal.dueItems(at: Self.at(20), kinds: ["s3-upload"], limit: 10).map(\.id) == [b1.id])
        #expect(try await journal.nextDueDate(kinds: ["s3-upload"]) == Self.at(1))
        try await journal.markAttemptStarted(item: b1.id, at: Self.at(20))
        try await journal.markDelivered(item: b1.id, at: Self.at(21))
        #expect(try await journal.nextDueDate(kinds: ["s3-upload"]) == Self.at(70), "a2 is behind a1, so a1's time")
        #expect(try await journal.dueItems(at: Self.at(70), kinds: ["s3-upload"], limit: 10).map(\.id) == [a1.id])

        let retried = try #require(try await journal.outboxItem(id: a1.id))
        #expect(retried.lastError == "503 Service Unavailable" && retried.attempts == 1 && retried.state == .pending)
        #expect(retried.updatedAt == Self.at(11))

        try await journal.markAttemptStarted(item: a1.id, at: Self.at(70))
        try await journal.markDelivered(item: a1.id, at: Self.at(71))
        #expect(try await journal.dueItems(at: Self.at(71), kinds: ["s3-upload"], limit: 10).map(\.id) == [a2.id])
        let delivered = try #require(try await journal.outboxItem(id: a1.id))
        #expect(delivered.state == .delivered && delivered.finishedAt == Self.at(71) && delivered.attempts == 2)
        #expect(delivered.lastError == "503 Service Unavailable", "the outage it got through stays visible")
    }

    @Test func aRejectedItemNoLongerHoldsBackItsKey() async throws {
        let journal = try EventJournal(path: path)
        let first = try await journal.enqueue(kind: "alert", key: "noc-mail", payload: Self.payload("1"), at: Self.at(0))
        let second = try await journal.enqueue(kind: "alert", key: "noc-mail", payload: Self.payload("2"), at: Self.at(0))
        try await journal.markAttemptStarted(item: first.id, at: Self.at(1))
        try await journal.markRejected(item: first.id, reason: "550 mailbox unknown", at: Self.at(2))
        #expect(try await journal.dueItems(at: Self.at(2), limit: 10).map(\.id) == [second.id])
        #expect(try await journal.pendingItems(limit: 10).map(\.id) == [second.id])
        let recent = try await journal.recentItems(limit: 10)
        #expect(recent.map(\.id) == [first.id] && recent[0].state == .rejected && recent[0].lastError == "550 mailbox unknown")

        // Finished items cannot move again; unknown ids are said to be unknown.
        await base.expectCode(.illegalTransition) { try await journal.markDelivered(item: first.id) }
        await base.expectCode(.illegalTransition) { try await journal.markAttemptStarted(item: first.id) }
        await base.expectCode(.unknownOutboxItem) { try await journal.markRetry(item: 999, reason: "x", nextAttemptAt: Date()) }
        await base.expectCode(.invalidOutboxItem) { try await journal.enqueue(kind: "alert", key: "x", payload: Data("not json".utf8)) }
        await base.expectCode(.invalidOutboxItem) { try await journal.enqueue(kind: "", key: "x", payload: Self.payload("1")) }
    }

    @Test func coalescingMergesIntoAPendingItemButNeverIntoOneInFlight() async throws {
        let journal = try EventJournal(path: path)
        let first = try await journal.enqueue(kind: "push", key: "archive", payload: Self.payload("c1"), coalescing: true)
        let merged = try await journal.enqueue(kind: "push", key: "archive", payload: Self.payload("c2"), coalescing: true)
        #expect(merged.id == first.id && merged.payload == first.payload, "the pending push takes the new commit along")
        #expect(try await journal.pendingItems(limit: 10).count == 1)

        // A push in flight may have read the branch before this commit: a new item follows it.
        try await journal.markAttemptStarted(item: first.id)
        let behind = try await journal.enqueue(kind: "push", key: "archive", payload: Self.payload("c3"), coalescing: true)
        #expect(behind.id != first.id)
        #expect(
            try await journal.enqueue(kind: "push", key: "archive", payload: Self.payload("c4"), coalescing: true).id
                == behind.id)
        // A failed attempt is no longer in flight: it takes new commits again (the next item is the newest pending).
        try await journal.markRetry(item: first.id, reason: "remote unreachable", nextAttemptAt: Date())
        #expect(try await journal.pendingItems(limit: 10).map(\.id) == [first.id, behind.id])
        // Without coalescing every enqueue is an item.
        let plain = try await journal.enqueue(kind: "push", key: "archive", payload: Self.payload("c5"))
        #expect(plain.id != behind.id)
        let counts = try await journal.outboxCounts()
        #expect(counts == [OutboxCount(kind: "push", state: .pending, count: 3)])
    }

    @Test func pendingItemsSurviveReopeningAndInterruptedAttemptsAreReleased() async throws {
        var ids: [Int64] = []
        do {
            let journal = try EventJournal(path: path)
            ids.append(try await journal.enqueue(kind: "push", key: "archive", request: ["commit": "abc"], at: Self.at(0)).id)
            ids.append(try await journal.enqueue(kind: "s3-upload", key: "r1", payload: Self.payload("v1"), at: Self.at(1)).id)
            try await journal.markAttemptStarted(item: ids[0], at: Self.at(2))
            try await journal.markAttemptStarted(item: ids[1], at: Self.at(2))
            try await journal.markRetry(item: ids[1], reason: "connection refused", nextAttemptAt: Self.at(60), at: Self.at(3))
            // The process dies here, with the push in flight.
        }
        let reopened = try await EventJournal.open(path: path)
        #expect(try await reopened.dueItems(at: Self.at(5), limit: 10).isEmpty, "the push still looks in flight")
        #expect(try await reopened.resetInterruptedAttempts() == 1)
        let due = try await reopened.dueItems(at: Self.at(5), limit: 10)
        #expect(due.map(\.id) == [ids[0]] && due[0].attempts == 1, "the interrupted attempt counts")
        #expect(try due[0].decodePayload([String: String].self) == ["commit": "abc"])
        let upload = try #require(try await reopened.outboxItem(id: ids[1]))
        #expect(upload.nextAttemptAt == Self.at(60) && upload.lastError == "connection refused")
    }

    @Test func retentionRemovesFinishedItemsOnly() async throws {
        let journal = try EventJournal(path: path)
        let old = try await journal.enqueue(kind: "alert", key: "hook", payload: Self.payload("old"), at: Self.at(0))
        let rejected = try await journal.enqueue(kind: "alert", key: "mail", payload: Self.payload("bad"), at: Self.at(0))
        let recent = try await journal.enqueue(kind: "alert", key: "hook", payload: Self.payload("new"), at: Self.at(0))
        let waiting = try await journal.enqueue(kind: "alert", key: "pager", payload: Self.payload("wait"), at: Self.at(0))
        try await journal.markDelivered(item: old.id, at: Self.at(10))
        try await journal.markRejected(item: rejected.id, reason: "bad address", at: Self.at(10))
        try await journal.markDelivered(item: recent.id, at: Self.at(100))
        try await journal.prune(finishedBefore: Self.at(50))
        let left = try await journal.pendingItems(limit: 10) + journal.recentItems(limit: 10)
        #expect(Set(left.map(\.id)) == [recent.id, waiting.id])
    }

    @Test func theMigrationsApplyInVersionOrder() throws {
        let journal = try EventJournal(path: path)
        let applied = try journal.pool.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        }
        // The outbox (v3) comes after the first schema and the comments (v2), before any later migration.
        let versions = applied.map { $0.prefix { $0 != ":" } }
        #expect(versions.prefix(4) == ["v1", "v2", "v3", "v4"], "\(applied)")
        #expect(applied.contains("v3: outbox"), "\(applied)")
    }
}
