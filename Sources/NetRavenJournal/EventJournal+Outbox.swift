public import Foundation
import GRDB

/// The durable outbox: deliveries (pushes, S3 uploads, alerts) that must happen eventually, retried until a handler
/// delivers or rejects them, across restarts. Items of one kind and key are handed out one at a time, oldest first.
///
/// Each call is one transaction, durable when it returns (like every journal write).
extension EventJournal {
    /// Longest `last_error` kept: a reason, not a transcript.
    static let outboxReasonLimit = 2_000

    /// Journals a delivery of `kind` for the ordering `key`, due at once. With `coalescing`, an item of this kind and
    /// key that is pending and not being delivered right now takes its place (pushes: one push sends every commit).
    /// - Returns: the new item, or the pending one it was coalesced into.
    @discardableResult
    /// `notBefore` delays the first attempt (alerts wait for their grouping window).
    public func enqueue(
        kind: String, key: String, payload: Data, coalescing: Bool = false, at date: Date = Date(),
        notBefore: Date? = nil
    ) async throws -> OutboxItem {
        guard !kind.isEmpty, !key.isEmpty else {
            throw JournalError(.invalidOutboxItem, "an outbox item needs a kind and a key (kind '\(kind)', key '\(key)')")
        }
        guard (try? JSONSerialization.jsonObject(with: payload, options: [.fragmentsAllowed])) != nil else {
            throw JournalError(.invalidOutboxItem, "the payload of a \(kind) item for \(key) is not JSON")
        }
        let text = String(decoding: payload, as: UTF8.self)
        return try await write("enqueue a \(kind) item for \(key)") { db in
            if coalescing,
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT * FROM outbox WHERE state = 'pending' AND kind = ? AND key = ?
                          AND attempt_started_at IS NULL
                        ORDER BY id DESC LIMIT 1
                        """,
                    arguments: [kind, key])
            {
                return try Self.outboxItem(row)
            }
            let time = date.timeIntervalSince1970
            let due = max(time, notBefore?.timeIntervalSince1970 ?? time)
            try db.execute(
                sql: """
                    INSERT INTO outbox (kind, key, payload, state, attempts, next_attempt_at, created_at, updated_at)
                    VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)
                    """,
                arguments: [kind, key, text, due, time, time])
            return try Self.existingOutboxItem(db, id: db.lastInsertedRowID)
        }
    }

    /// Journals `request` (encoded as JSON with sorted keys) like ``enqueue(kind:key:payload:coalescing:at:)``.
    @discardableResult
    public func enqueue<Request: Encodable>(
        kind: String, key: String, request: Request, coalescing: Bool = false, at date: Date = Date(),
        notBefore: Date? = nil
    ) async throws -> OutboxItem {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let payload: Data
        do {
            payload = try encoder.encode(request)
        } catch {
            throw JournalError(.invalidOutboxItem, "cannot encode the payload of a \(kind) item for \(key): \(error)")
        }
        return try await enqueue(
            kind: kind, key: key, payload: payload, coalescing: coalescing, at: date, notBefore: notBefore)
    }

    /// Pending items whose time has come, at most one per kind and key: the oldest pending one, and only when it is
    /// due and not in flight (a later item never overtakes an earlier one of its key). Soonest due first. `kinds`
    /// nil = every kind.
    public func dueItems(at date: Date, kinds: Set<String>? = nil, limit: Int) async throws -> [OutboxItem] {
        try await read("read due outbox items") { db in
            var arguments: StatementArguments = [date.timeIntervalSince1970]
            let kindFilter = Self.kindFilter(kinds, arguments: &arguments)
            arguments += [max(limit, 0)]
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM outbox AS o
                    WHERE \(Self.waitingHeadOfKey) AND o.next_attempt_at <= ? \(kindFilter)
                    ORDER BY o.next_attempt_at, o.id LIMIT ?
                    """,
                arguments: arguments
            ).map(Self.outboxItem)
        }
    }

    /// When the next item becomes due (the earliest among the oldest pending item of each kind and key that is not
    /// in flight); nil when there is none. May lie in the past.
    public func nextDueDate(kinds: Set<String>? = nil) async throws -> Date? {
        try await read("read the next outbox due time") { db in
            var arguments: StatementArguments = []
            let kindFilter = Self.kindFilter(kinds, arguments: &arguments)
            let value = try Double.fetchOne(
                db,
                sql: "SELECT MIN(o.next_attempt_at) FROM outbox AS o WHERE \(Self.waitingHeadOfKey) \(kindFilter)",
                arguments: arguments)
            return value.map(JournalRows.date)
        }
    }

    /// A delivery attempt starts: counts it (so one interrupted by a crash counts too) and marks the item in flight.
    @discardableResult
    public func markAttemptStarted(item id: Int64, at date: Date = Date()) async throws -> OutboxItem {
        try await write("start delivering outbox item \(id)") { db in
            try Self.requirePending(db, id: id, to: "start a delivery")
            try db.execute(
                sql: """
                    UPDATE outbox SET attempts = attempts + 1, attempt_started_at = ?, updated_at = ? WHERE id = ?
                    """,
                arguments: [date.timeIntervalSince1970, date.timeIntervalSince1970, id])
            return try Self.existingOutboxItem(db, id: id)
        }
    }

    /// The item was delivered: it is finished and pruned with the journal's retention.
    public func markDelivered(item id: Int64, at date: Date = Date()) async throws {
        try await finishOutboxItem(id, state: .delivered, reason: nil, at: date)
    }

    /// The item could not be delivered this time: it stays pending, due again at `nextAttemptAt`.
    public func markRetry(item id: Int64, reason: String, nextAttemptAt: Date, at date: Date = Date()) async throws {
        try await write("schedule a retry of outbox item \(id)") { db in
            try Self.requirePending(db, id: id, to: "retry it")
            try db.execute(
                sql: """
                    UPDATE outbox SET next_attempt_at = ?, last_error = ?, attempt_started_at = NULL, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [
                    nextAttemptAt.timeIntervalSince1970, Self.clipped(reason), date.timeIntervalSince1970, id,
                ])
        }
    }

    /// The item can never be delivered: kept as rejected with the reason (visible in `netraven outbox --all`),
    /// and no longer holds back later items of its key.
    public func markRejected(item id: Int64, reason: String, at date: Date = Date()) async throws {
        try await finishOutboxItem(id, state: .rejected, reason: reason, at: date)
    }

    /// At startup, before any delivery: attempts that were in flight when the previous process stopped are over.
    /// - Returns: how many items had been interrupted.
    @discardableResult
    public func resetInterruptedAttempts() async throws -> Int {
        try await write("reset interrupted outbox attempts") { db in
            try db.execute(
                sql: "UPDATE outbox SET attempt_started_at = NULL WHERE state = 'pending' AND attempt_started_at IS NOT NULL")
            return db.changesCount
        }
    }

    /// One item by id, nil when there is none (never enqueued, or pruned).
    public func outboxItem(id: Int64) async throws -> OutboxItem? {
        try await read("read outbox item \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE id = ?", arguments: [id]).map(Self.outboxItem)
        }
    }

    /// What is waiting to be delivered, oldest first.
    public func pendingItems(limit: Int) async throws -> [OutboxItem] {
        try await read("list pending outbox items") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM outbox WHERE state = 'pending' ORDER BY id LIMIT ?", arguments: [max(limit, 0)]
            ).map(Self.outboxItem)
        }
    }

    /// Pending items of one kind and key, oldest first (an alert handler sends them together).
    public func pendingItems(kind: String, key: String, limit: Int = 10_000) async throws -> [OutboxItem] {
        try await read("list pending \(kind) items for \(key)") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM outbox WHERE state = 'pending' AND kind = ? AND key = ? ORDER BY id LIMIT ?",
                arguments: [kind, key, max(limit, 0)]
            ).map(Self.outboxItem)
        }
    }

    /// Delivered and rejected items, the most recently finished first.
    public func recentItems(limit: Int) async throws -> [OutboxItem] {
        try await read("list finished outbox items") { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM outbox WHERE state != 'pending' ORDER BY finished_at DESC, id DESC LIMIT ?",
                arguments: [max(limit, 0)]
            ).map(Self.outboxItem)
        }
    }

    /// How many items there are of each kind in each state (for metrics and `netraven outbox`).
    public func outboxCounts() async throws -> [OutboxCount] {
        try await read("count outbox items") { db in
            try Row.fetchAll(
                db, sql: "SELECT kind, state, COUNT(*) AS n FROM outbox GROUP BY kind, state ORDER BY kind, state"
            ).map { row in
                let stateText: String = row["state"]
                guard let state = OutboxState(rawValue: stateText) else {
                    throw JournalError(.unreadable, "an outbox item has an unknown state '\(stateText)'")
                }
                return OutboxCount(kind: row["kind"], state: state, count: row["n"])
            }
        }
    }

    // MARK: Inside transactions

    /// The oldest pending item of its kind and key, when no delivery of it is in flight (`o` is the outer query's
    /// alias). While the oldest is in flight, its key has nothing to hand out.
    private static let waitingHeadOfKey = """
        o.state = 'pending' AND o.attempt_started_at IS NULL AND NOT EXISTS (
            SELECT 1 FROM outbox AS p WHERE p.state = 'pending' AND p.kind = o.kind AND p.key = o.key AND p.id < o.id)
        """

    private static func kindFilter(_ kinds: Set<String>?, arguments: inout StatementArguments) -> String {
        guard let kinds else { return "" }
        guard !kinds.isEmpty else { return "AND 0" }
        arguments += StatementArguments(kinds.sorted())
        return "AND o.kind IN (\(databaseQuestionMarks(count: kinds.count)))"
    }

    private func finishOutboxItem(_ id: Int64, state: OutboxState, reason: String?, at date: Date) async throws {
        try await write("mark outbox item \(id) \(state.rawValue)") { db in
            try Self.requirePending(db, id: id, to: "mark it \(state.rawValue)")
            let time = date.timeIntervalSince1970
            // A delivered item keeps the reason of its last failed attempt: it says what the outage was.
            try db.execute(
                sql: """
                    UPDATE outbox SET state = ?, last_error = COALESCE(?, last_error), attempt_started_at = NULL,
                                      updated_at = ?, finished_at = ?
                    WHERE id = ?
                    """,
                arguments: [state.rawValue, reason.map(Self.clipped), time, time, id])
        }
    }

    private static func requirePending(_ db: Database, id: Int64, to action: String) throws {
        let state = try existingOutboxItem(db, id: id).state
        guard state == .pending else {
            throw JournalError(.illegalTransition, "outbox item \(id) is \(state.rawValue); cannot \(action)")
        }
    }

    private static func existingOutboxItem(_ db: Database, id: Int64) throws -> OutboxItem {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE id = ?", arguments: [id]) else {
            throw JournalError(.unknownOutboxItem, "no outbox item with id \(id) in the journal")
        }
        return try outboxItem(row)
    }

    static func outboxItem(_ row: Row) throws -> OutboxItem {
        let id: Int64 = row["id"]
        let stateText: String = row["state"]
        guard let state = OutboxState(rawValue: stateText) else {
            throw JournalError(.unreadable, "outbox item \(id) has an unknown state '\(stateText)'")
        }
        let payload: String = row["payload"]
        return OutboxItem(
            id: id, kind: row["kind"], key: row["key"], payload: Data(payload.utf8), state: state,
            attempts: row["attempts"], nextAttemptAt: JournalRows.date(row["next_attempt_at"] as Double),
            lastError: row["last_error"], createdAt: JournalRows.date(row["created_at"] as Double),
            updatedAt: JournalRows.date(row["updated_at"] as Double),
            finishedAt: JournalRows.date(row["finished_at"] as Double?))
    }

    static func pruneOutbox(_ db: Database, finishedBefore cutoff: Double) throws {
        try db.execute(
            sql: "DELETE FROM outbox WHERE state IN ('delivered', 'rejected') AND finished_at < ?", arguments: [cutoff])
    }

    private static func clipped(_ reason: String) -> String {
        reason.count <= outboxReasonLimit ? reason : String(reason.prefix(outboxReasonLimit)) + "…"
    }
}
