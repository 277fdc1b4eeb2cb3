import GRDB

/// The journal's tables, created and upgraded by migrations so an older file opens with a newer NetRaven.
///
/// Times are REAL seconds since 1970 (UTC), to the microsecond: `datetime(received_at, 'unixepoch')` in sqlite3.
enum JournalSchema {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: events, jobs and the links between them") { db in
            try db.execute(
                sql: """
                    CREATE TABLE event (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        device TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        change_kind TEXT,
                        user_name TEXT,
                        source TEXT,
                        event_time REAL NOT NULL,
                        device_commit TEXT,
                        rule TEXT,
                        raw TEXT,
                        peer TEXT,
                        transport TEXT,
                        received_at REAL NOT NULL
                    );
                    CREATE INDEX event_device ON event(device, seq);
                    CREATE TABLE job (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        device TEXT NOT NULL,
                        trigger_kind TEXT NOT NULL,
                        state TEXT NOT NULL
                            CHECK (state IN ('queued', 'running', 'committed', 'unchanged', 'failed')),
                        created_at REAL NOT NULL,
                        started_at REAL,
                        finished_at REAL,
                        commit_id TEXT,
                        failure_code TEXT,
                        failure_reason TEXT,
                        attempts INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX job_state ON job(state);
                    CREATE INDEX job_device ON job(device, seq);
                    CREATE TABLE job_event (
                        job_id TEXT NOT NULL REFERENCES job(id) ON DELETE CASCADE,
                        event_id TEXT NOT NULL REFERENCES event(id) ON DELETE CASCADE,
                        PRIMARY KEY (job_id, event_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX job_event_event ON job_event(event_id);
                    """)
        }
        migrator.registerMigration("v2: event comments and job verdicts") { db in
            try db.execute(
                sql: """
                    ALTER TABLE event ADD COLUMN comment TEXT;
                    ALTER TABLE job ADD COLUMN verdict TEXT CHECK (verdict IN ('expected', 'unexpected'));
                    ALTER TABLE job ADD COLUMN verdict_severity TEXT;
                    ALTER TABLE job ADD COLUMN verdict_reasons TEXT;
                    CREATE INDEX job_verdict ON job(verdict, seq);
                    """)
        }
        // Later migrations (v2, ...) go before this line; the outbox's is registered last.
        registerOutbox(in: &migrator)
        registerVersionIndex(in: &migrator)
        return migrator
    }()
}
