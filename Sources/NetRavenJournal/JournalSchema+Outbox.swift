import GRDB

extension JournalSchema {
    /// "v3: outbox": deliveries that must happen eventually (pushes, S3 uploads, alerts), kept until delivered.
    ///
    /// `attempt_started_at` is set while a delivery is in flight, so a coalescing enqueue never merges into an
    /// item whose delivery may already have read the state it was asked to deliver.
    static func registerOutbox(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3: outbox") { db in
            try db.execute(
                sql: """
                    CREATE TABLE outbox (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL,
                        key TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'rejected')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at REAL NOT NULL,
                        attempt_started_at REAL,
                        last_error TEXT,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL,
                        finished_at REAL
                    );
                    CREATE INDEX outbox_pending ON outbox(state, kind, key, id);
                    CREATE INDEX outbox_finished ON outbox(finished_at) WHERE state != 'pending';
                    """)
        }
    }
}
