import GRDB

extension JournalSchema {
    /// "v4: version index": which commits changed which archive file, so a device's history is one indexed query
    /// instead of a walk through the whole Git history (docs/archive.md, "Version index").
    ///
    /// `version_commit` holds each indexed commit once, in the order it was indexed (oldest first, `seq`);
    /// `version` links the archive paths a commit changed to it; `version_index` holds the last commit indexed.
    /// Git stays the truth: everything here can be rebuilt from the repository (`netraven reindex`).
    static func registerVersionIndex(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4: version index") { db in
            try db.execute(
                sql: """
                    CREATE TABLE version_commit (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        short_id TEXT NOT NULL,
                        parent_ids TEXT NOT NULL,
                        author_name TEXT NOT NULL,
                        author_email TEXT NOT NULL,
                        author_time REAL NOT NULL,
                        committer_name TEXT NOT NULL,
                        committer_email TEXT NOT NULL,
                        committed_at REAL NOT NULL,
                        summary TEXT NOT NULL,
                        message TEXT NOT NULL
                    );
                    CREATE TABLE version (
                        path TEXT NOT NULL,
                        commit_seq INTEGER NOT NULL REFERENCES version_commit(seq) ON DELETE CASCADE,
                        PRIMARY KEY (path, commit_seq)
                    ) WITHOUT ROWID;
                    CREATE INDEX version_commit_seq ON version(commit_seq);
                    CREATE TABLE version_index (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        head TEXT NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    """)
        }
    }
}
