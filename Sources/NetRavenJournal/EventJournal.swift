public import Foundation
import GRDB
public import NetRavenCore

/// The durable record of accepted events and capture jobs: an SQLite file in WAL mode (`<state_dir>/journal.sqlite`).
///
/// Every write is one transaction committed with `synchronous = FULL`: once a call returns, the write survives a
/// `kill -9` of the process and a power loss (on a disk that honours fsync). All async methods run on GRDB's own
/// serial queues, never on Swift's cooperative pool. Several processes may open the same file (the daemon writes,
/// `netraven events` reads); writers wait for each other for up to 30 s.
public final class EventJournal: Sendable {
    /// The file's path.
    public let path: String
    let pool: DatabasePool

    /// Opens the journal at `path`, creating it (and its directory, mode 0700) when missing, and migrates its schema.
    ///
    /// Blocks while it opens and migrates: call it at startup, not from a task on the cooperative pool.
    public init(path: String) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            // Raw device messages can hold what an engineer typed: owner-only, like the state directory. SQLite
            // takes an empty file as a new database and gives the -wal and -shm files the same mode.
            if !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            var configuration = Configuration()
            configuration.label = "netraven.journal"
            configuration.busyMode = .timeout(30)
            configuration.foreignKeysEnabled = true
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets NORMAL when it enables WAL, which survives a process crash but may lose the last commits
            // on power loss; FULL syncs the WAL at each commit. Only the writer connection writes.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try JournalSchema.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw JournalError(.storage, "cannot open the journal \(path): \(Self.reason(error))", underlying: error)
        } catch let error as JournalError {
            throw error
        } catch {
            throw JournalError(.storage, "cannot open the journal \(path): \(error.localizedDescription)")
        }
    }

    /// Opens the journal like `init(path:)`, on a thread of its own so the cooperative pool never waits on the disk.
    public static func open(path: String) async throws -> EventJournal {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try EventJournal(path: path) })
            }
            thread.name = "netraven.journal.open"
            thread.start()
        }
    }

    // MARK: Events

    /// Writes the event before the caller acknowledges it. false when this id is already journaled (the stored
    /// event is kept as it was).
    @discardableResult
    public func record(
        _ event: ChangeEvent, peer: String?, transport: String?, receivedAt: Date = Date()
    ) async throws -> Bool {
        try await write("record event \(event.id)") { db in
            try db.execute(
                sql: """
                    INSERT INTO event (id, device, kind, change_kind, user_name, source, event_time, device_commit,
                                       rule, raw, peer, transport, received_at, comment)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO NOTHING
                    """,
                arguments: [
                    event.id, event.device, event.kind.rawValue, event.change?.rawValue, event.user, event.source,
                    event.time.timeIntervalSince1970, event.commit, event.rule, event.raw, peer, transport,
                    receivedAt.timeIntervalSince1970, event.comment,
                ])
            return db.changesCount > 0
        }
    }

    /// The most recent events first, optionally of one device.
    public func events(device: String?, limit: Int) async throws -> [JournaledEvent] {
        try await read("list events") { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM event WHERE (?1 IS NULL OR device = ?1) ORDER BY seq DESC LIMIT ?2",
                arguments: [device, max(limit, 0)])
            let jobs = try Self.jobIDs(db, forEvents: rows.map { $0["id"] as String })
            return try rows.map { row in
                JournaledEvent(
                    event: try JournalRows.event(row), peer: row["peer"], transport: row["transport"],
                    receivedAt: JournalRows.date(row["received_at"]), jobIDs: jobs[row["id"] as String] ?? [])
            }
        }
    }

    // MARK: Jobs

    /// Queues a capture job for `device` holding `eventIDs` (every one must have been recorded).
    public func createJob(id: String, device: String, trigger: TriggerKind, eventIDs: [String], at date: Date)
        async throws
    {
        try await write("create job \(id)") { db in
            if try Self.state(db, job: id) != nil {
                throw JournalError(.duplicateJob, "a job with id \(id) exists already")
            }
            try db.execute(
                sql: "INSERT INTO job (id, device, trigger_kind, state, created_at) VALUES (?, ?, ?, 'queued', ?)",
                arguments: [id, device, trigger.rawValue, date.timeIntervalSince1970])
            try Self.link(db, events: eventIDs, to: id)
        }
    }

    /// Adds events to a job that has not finished (events coalesced while it waits).
    public func attach(eventIDs: [String], toJob job: String) async throws {
        try await write("attach events to job \(job)") { db in
            let state = try Self.existingState(db, job: job)
            guard !state.isFinished else {
                throw JournalError(.illegalTransition, "job \(job) is \(state.rawValue); events cannot be added to it")
            }
            try Self.link(db, events: eventIDs, to: job)
        }
    }

    /// Marks a queued job running; on a job already running (resumed after a restart) counts another attempt.
    public func markRunning(job: String, at date: Date) async throws {
        try await write("start job \(job)") { db in
            let state = try Self.existingState(db, job: job)
            guard !state.isFinished else {
                throw JournalError(.illegalTransition, "job \(job) is \(state.rawValue) and cannot run again")
            }
            try db.execute(
                sql: "UPDATE job SET state = 'running', started_at = ?, attempts = attempts + 1 WHERE id = ?",
                arguments: [date.timeIntervalSince1970, job])
        }
    }

    /// Records how a job ended. A running job may end any way; a queued one only as failed (it never collected).
    /// A committed job records the verdict on its change.
    public func finish(job: String, outcome: JobOutcome, at date: Date, verdict: ChangeVerdict? = nil) async throws {
        let reasons = try verdict.map { String(decoding: try JSONEncoder().encode($0.reasons), as: UTF8.self) }
        try await write("finish job \(job)") { db in
            let state = try Self.existingState(db, job: job)
            if state.isFinished {
                throw JournalError(.illegalTransition, "job \(job) is already \(state.rawValue)")
            }
            if state == .queued && outcome.state != .failed {
                throw JournalError(
                    .illegalTransition, "job \(job) is queued; it must run before it can be \(outcome.state.rawValue)")
            }
            var commit: String?
            var failureCode: String?
            var failureReason: String?
            switch outcome {
            case .committed(let id): commit = id
            case .unchanged: break
            case .failed(let code, let reason): (failureCode, failureReason) = (code, reason)
            }
            try db.execute(
                sql: """
                    UPDATE job SET state = ?, finished_at = ?, commit_id = ?, failure_code = ?, failure_reason = ?,
                                   verdict = ?, verdict_severity = ?, verdict_reasons = ?
                    WHERE id = ?
                    """,
                arguments: [
                    outcome.state.rawValue, date.timeIntervalSince1970, commit, failureCode, failureReason,
                    verdict?.kind.rawValue, verdict?.severity.rawValue, reasons, job,
                ])
        }
    }

    /// The most recent jobs first, optionally of one device and in one state.
    public func jobs(device: String?, state: JobState?, limit: Int) async throws -> [JournaledJob] {
        try await read("list jobs") { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM job WHERE (?1 IS NULL OR device = ?1) AND (?2 IS NULL OR state = ?2)
                    ORDER BY seq DESC LIMIT ?3
                    """,
                arguments: [device, state?.rawValue, max(limit, 0)])
            return try Self.jobs(db, rows: rows)
        }
    }

    /// For resume after a restart or crash: jobs still queued or running (with their events), and events that no
    /// job holds yet.
    public func unfinishedWork() async throws -> UnfinishedWork {
        try await read("read unfinished work") { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM job WHERE state IN ('queued', 'running') ORDER BY seq")
            let jobs = try Self.jobs(db, rows: rows).map { job in
                UnfinishedJob(job: job, events: try Self.events(db, ofJob: job.id))
            }
            let orphans = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM event WHERE NOT EXISTS (SELECT 1 FROM job_event WHERE job_event.event_id = event.id)
                    ORDER BY seq
                    """
            ).map(JournalRows.event)
            return UnfinishedWork(jobs: jobs, orphanEvents: orphans)
        }
    }

    /// Retention: deletes finished jobs and their events older than the date; never unfinished work (queued or
    /// running jobs, their events, events no job holds). An event also held by a job that stays is kept.
    /// Delivered and rejected outbox items finished before the date go too; pending ones never.
    /// - Returns: how many jobs were removed.
    @discardableResult
    public func prune(finishedBefore date: Date) async throws -> Int {
        try await write("prune the journal") { db in
            let cutoff = date.timeIntervalSince1970
            let expired = "state IN ('committed', 'unchanged', 'failed') AND finished_at < :cutoff"
            try db.execute(
                sql: """
                    DELETE FROM event
                    WHERE id IN (SELECT event_id FROM job_event JOIN job ON job.id = job_event.job_id
                                 WHERE \(expired))
                      AND NOT EXISTS (SELECT 1 FROM job_event JOIN job ON job.id = job_event.job_id
                                      WHERE job_event.event_id = event.id AND NOT (\(expired)))
                    """,
                arguments: ["cutoff": cutoff])
            try db.execute(sql: "DELETE FROM job WHERE \(expired)", arguments: ["cutoff": cutoff])
            let jobsRemoved = db.changesCount
            try Self.pruneOutbox(db, finishedBefore: cutoff)
            return jobsRemoved
        }
    }

    // MARK: Access

    func write<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws
        -> T
    {
        do {
            return try await pool.write(body)
        } catch let error as DatabaseError {
            throw JournalError(.storage, "cannot \(what): \(Self.reason(error))", underlying: error)
        }
    }

    func read<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T
    {
        do {
            return try await pool.read(body)
        } catch let error as DatabaseError {
            throw JournalError(.storage, "cannot \(what): \(Self.reason(error))", underlying: error)
        }
    }

    /// SQLite's own words, without the statement (its arguments could hold an event's raw text).
    static func reason(_ error: DatabaseError) -> String {
        error.message ?? "SQLite error \(error.extendedResultCode.rawValue)"
    }

    // MARK: Queries used inside transactions

    private static func state(_ db: Database, job: String) throws -> JobState? {
        guard let text = try String.fetchOne(db, sql: "SELECT state FROM job WHERE id = ?", arguments: [job]) else {
            return nil
        }
        guard let state = JobState(rawValue: text) else {
            throw JournalError(.unreadable, "job \(job) has an unknown state '\(text)'")
        }
        return state
    }

    private static func existingState(_ db: Database, job: String) throws -> JobState {
        guard let state = try state(db, job: job) else {
            throw JournalError(.unknownJob, "no job with id \(job) in the journal")
        }
        return state
    }

    private static func link(_ db: Database, events: [String], to job: String) throws {
        for event in events {
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM event WHERE id = ?", arguments: [event]) != nil else {
                throw JournalError(.unknownEvent, "no event with id \(event) in the journal (record it first)")
            }
            try db.execute(
                sql: "INSERT INTO job_event (job_id, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                arguments: [job, event])
        }
    }

    private static func events(_ db: Database, ofJob job: String) throws -> [ChangeEvent] {
        try Row.fetchAll(
            db,
            sql:
                """
                SELECT event.* FROM event JOIN job_event ON job_event.event_id = event.id
                WHERE job_id = ? ORDER BY seq
                """,
            arguments: [job]
        ).map(JournalRows.event)
    }

    private static func jobs(_ db: Database, rows: [Row]) throws -> [JournaledJob] {
        try rows.map { row in
            let id: String = row["id"]
            let eventIDs = try String.fetchAll(
                db,
                sql: """
                    SELECT event.id FROM event JOIN job_event ON job_event.event_id = event.id
                    WHERE job_id = ? ORDER BY event.seq
                    """,
                arguments: [id])
            return try JournalRows.job(row, eventIDs: eventIDs)
        }
    }

    /// The jobs holding each event, oldest job first.
    private static func jobIDs(_ db: Database, forEvents events: [String]) throws -> [String: [String]] {
        guard !events.isEmpty else { return [:] }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT job_event.event_id, job_event.job_id FROM job_event JOIN job ON job.id = job_event.job_id
                WHERE job_event.event_id IN (\(databaseQuestionMarks(count: events.count))) ORDER BY job.seq
                """,
            arguments: StatementArguments(events))
        var result: [String: [String]] = [:]
        for row in rows {
            result[row["event_id"], default: []].append(row["job_id"])
        }
        return result
    }
}
