import Foundation
import GRDB

/// The version index (migration v4): appended in commit order under a compare-and-set on the last indexed commit,
/// so two processes catching up at once (the daemon and `netraven history`) never interleave or duplicate.
extension EventJournal {
    /// The last commit the index holds; nil when it is empty.
    public func versionIndexHead() async throws -> String? {
        try await read("read the version index") { db in try Self.indexHead(db) }
    }

    /// Appends `commits` (oldest first) when the index is still at `expectedHead`, and moves it to `newHead`.
    /// Returns false, and writes nothing, when another writer moved the index meanwhile (read it again).
    @discardableResult
    public func appendVersions(_ commits: [IndexedCommit], expectedHead: String?, newHead: String) async throws
        -> Bool
    {
        try await write("append to the version index") { db in
            try Self.append(db, commits, expectedHead: expectedHead, newHead: newHead)
        }
    }

    /// `appendVersions` for callers on a thread of their own that may block (the archive's thread during a
    /// catch-up): one transaction, waited for here.
    @discardableResult
    public func appendVersionsBlocking(_ commits: [IndexedCommit], expectedHead: String?, newHead: String) throws
        -> Bool
    {
        do {
            return try pool.write { db in try Self.append(db, commits, expectedHead: expectedHead, newHead: newHead) }
        } catch let error as DatabaseError {
            throw JournalError(.storage, "cannot append to the version index: \(Self.reason(error))", underlying: error)
        }
    }

    /// Empties the index (before a rebuild from Git).
    public func clearVersionIndex() async throws {
        try await write("clear the version index") { db in
            try db.execute(sql: "DELETE FROM version; DELETE FROM version_commit; DELETE FROM version_index")
        }
    }

    /// The commits that changed `path`, newest first, skipping `offset` and at most `limit` (nil = all).
    public func versions(path: String, offset: Int = 0, limit: Int? = nil) async throws -> [IndexedVersion] {
        try await read("read the versions of \(path)") { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT c.* FROM version v JOIN version_commit c ON c.seq = v.commit_seq
                    WHERE v.path = ? ORDER BY v.commit_seq DESC LIMIT ? OFFSET ?
                    """,
                arguments: [path, limit ?? -1, max(offset, 0)])
            var versions: [IndexedVersion] = []
            while let row = try rows.next() { versions.append(Self.indexedVersion(row)) }
            return versions
        }
    }

    /// How many commits and (path, commit) entries the index holds.
    public func versionIndexSize() async throws -> (commits: Int, versions: Int) {
        try await read("count the version index") { db in
            let commits = try Int.fetchOne(db, sql: "SELECT count(*) FROM version_commit") ?? 0
            let versions = try Int.fetchOne(db, sql: "SELECT count(*) FROM version") ?? 0
            return (commits, versions)
        }
    }

    // MARK: Inside transactions

    private static func indexHead(_ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT head FROM version_index WHERE id = 1")
    }

    private static func append(_ db: Database, _ commits: [IndexedCommit], expectedHead: String?, newHead: String)
        throws -> Bool
    {
        guard try indexHead(db) == expectedHead else { return false }
        let insertCommit = try db.cachedStatement(
            sql: """
                INSERT INTO version_commit (id, short_id, parent_ids, author_name, author_email, author_time,
                                            committer_name, committer_email, committed_at, summary, message)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO NOTHING
                """)
        let findCommit = try db.cachedStatement(sql: "SELECT seq FROM version_commit WHERE id = ?")
        let insertPath = try db.cachedStatement(
            sql: "INSERT INTO version (path, commit_seq) VALUES (?, ?) ON CONFLICT DO NOTHING")
        for commit in commits {
            let version = commit.version
            try insertCommit.execute(arguments: [
                version.commitID, version.shortID, version.parentIDs.joined(separator: " "), version.authorName,
                version.authorEmail, version.authoredAt.timeIntervalSince1970, version.committerName,
                version.committerEmail, version.committedAt.timeIntervalSince1970, version.summary, version.message,
            ])
            guard let seq = try Int64.fetchOne(findCommit, arguments: [version.commitID]) else { continue }
            for path in commit.paths { try insertPath.execute(arguments: [path, seq]) }
        }
        try db.execute(
            sql: """
                INSERT INTO version_index (id, head, updated_at) VALUES (1, ?1, ?2)
                ON CONFLICT (id) DO UPDATE SET head = ?1, updated_at = ?2
                """,
            arguments: [newHead, Date().timeIntervalSince1970])
        return true
    }

    private static func indexedVersion(_ row: Row) -> IndexedVersion {
        let parents: String = row["parent_ids"]
        return IndexedVersion(
            commitID: row["id"], shortID: row["short_id"],
            parentIDs: parents.split(separator: " ").map(String.init), authorName: row["author_name"],
            authorEmail: row["author_email"], authoredAt: JournalRows.date(row["author_time"]),
            committerName: row["committer_name"], committerEmail: row["committer_email"],
            committedAt: JournalRows.date(row["committed_at"]), summary: row["summary"], message: row["message"])
    }
}
