public import Foundation
import GRDB
public import NetRavenCore

/// One page of the journal's events, most recent first.
public struct EventPage: Sendable, Equatable {
    /// The events of this page, most recent first.
    public var events: [JournaledEvent]
    /// The cursor for the next (older) page: pass it as `before`; nil on the last page.
    public var nextBefore: Int64?

    /// A page.
    public init(events: [JournaledEvent], nextBefore: Int64?) {
        self.events = events
        self.nextBefore = nextBefore
    }
}

/// What the journal says about one device's captures, for the status page and `GET /api/v1/devices`.
public struct DeviceJobSummary: Sendable, Equatable {
    /// When a capture last succeeded (committed or unchanged).
    public var lastCapture: Date?
    /// When a capture last committed a change.
    public var lastChange: Date?
    /// The most recent finished job.
    public var lastJob: JournaledJob?
    /// The verdict of the most recent job that has one (`expected`, `unexpected`), when the journal records verdicts.
    public var lastVerdict: String?
    /// The reasons of that verdict as the journal stores them (a JSON array), when it does.
    public var lastVerdictReasons: String?

    /// A summary.
    public init(
        lastCapture: Date? = nil, lastChange: Date? = nil, lastJob: JournaledJob? = nil, lastVerdict: String? = nil,
        lastVerdictReasons: String? = nil
    ) {
        self.lastCapture = lastCapture
        self.lastChange = lastChange
        self.lastJob = lastJob
        self.lastVerdict = lastVerdict
        self.lastVerdictReasons = lastVerdictReasons
    }
}

extension EventJournal {
    /// Events, most recent first, older than the cursor `before` (from a previous page's `nextBefore`).
    public func events(before: Int64?, limit: Int) async throws -> EventPage {
        try await read("list events") { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM event WHERE (?1 IS NULL OR seq < ?1) ORDER BY seq DESC LIMIT ?2",
                arguments: [before, max(limit, 0) + 1])
            let page = rows.prefix(max(limit, 0))
            let events = try page.map { row in
                JournaledEvent(
                    event: try JournalRows.event(row), peer: row["peer"], transport: row["transport"],
                    receivedAt: JournalRows.date(row["received_at"] as Double),
                    jobIDs: try String.fetchAll(
                        db,
                        sql: """
                            SELECT job_id FROM job_event JOIN job ON job.id = job_event.job_id
                            WHERE event_id = ? ORDER BY job.seq
                            """,
                        arguments: [row["id"] as String]))
            }
            let next: Int64? = rows.count > page.count ? page.last.map { $0["seq"] as Int64 } : nil
            return EventPage(events: events, nextBefore: next)
        }
    }

    /// The job with this id, or nil.
    public func job(id: String) async throws -> JournaledJob? {
        try await read("read job \(id)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [id]) else {
                return nil
            }
            return try JournalRows.job(row, eventIDs: try Self.eventIDs(db, job: id))
        }
    }

    /// The events a job captures, oldest first.
    public func events(ofJob id: String) async throws -> [ChangeEvent] {
        try await read("read the events of job \(id)") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT event.* FROM event JOIN job_event ON job_event.event_id = event.id
                    WHERE job_id = ? ORDER BY seq
                    """,
                arguments: [id]
            ).map(JournalRows.event)
        }
    }

    /// Per device: last successful capture, last change, the last finished job and the last verdict.
    /// Verdicts are read when the journal has the `job.verdict` column (migration v2), else left nil.
    public func deviceSummaries() async throws -> [String: DeviceJobSummary] {
        try await read("summarise jobs per device") { db in
            var result: [String: DeviceJobSummary] = [:]
            let times = try Row.fetchAll(
                db,
                sql: """
                    SELECT device,
                           MAX(CASE WHEN state IN ('committed', 'unchanged') THEN finished_at END) AS last_capture,
                           MAX(CASE WHEN state = 'committed' THEN finished_at END) AS last_change
                    FROM job GROUP BY device
                    """)
            for row in times {
                result[row["device"]] = DeviceJobSummary(
                    lastCapture: JournalRows.date(row["last_capture"] as Double?),
                    lastChange: JournalRows.date(row["last_change"] as Double?))
            }
            let lastJobs = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM job WHERE seq IN (
                        SELECT MAX(seq) FROM job WHERE state IN ('committed', 'unchanged', 'failed') GROUP BY device)
                    """)
            for row in lastJobs {
                let id: String = row["id"]
                let job = try JournalRows.job(row, eventIDs: try Self.eventIDs(db, job: id))
                result[job.device, default: DeviceJobSummary()].lastJob = job
            }
            if try db.columns(in: "job").contains(where: { $0.name == "verdict" }) {
                let verdicts = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT device, verdict, verdict_reasons FROM job WHERE seq IN (
                            SELECT MAX(seq) FROM job WHERE verdict IS NOT NULL GROUP BY device)
                        """)
                for row in verdicts {
                    let device: String = row["device"]
                    result[device, default: DeviceJobSummary()].lastVerdict = row["verdict"]
                    result[device, default: DeviceJobSummary()].lastVerdictReasons = row["verdict_reasons"]
                }
            }
            return result
        }
    }

    /// Proves the journal takes writes now: one write transaction that rewrites the header's user version with
    /// its own value (no table changes). Throws `JournalError(.storage)` when the file, its WAL or the disk refuse.
    public func checkWritable() async throws {
        try await write("write to the journal") { db in
            let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            try db.execute(sql: "PRAGMA user_version = \(version)")
        }
    }

    private static func eventIDs(_ db: Database, job: String) throws -> [String] {
        try String.fetchAll(
            db,
            sql: """
                SELECT event.id FROM event JOIN job_event ON job_event.event_id = event.id
                WHERE job_id = ? ORDER BY event.seq
                """,
            arguments: [job])
    }
}
