import Foundation
import Synchronization
public import Logging
public import NetRavenGit
public import NetRavenJournal

/// The per-device index of versions in the journal (migration v4): a device's history is one indexed query instead
/// of a walk through the archive's whole history (docs/archive.md, "Version index").
///
/// Git stays the truth. Every capture commit is recorded here (`record`); before each read the index is compared
/// with the archive's HEAD and, when behind (commits before the upgrade, by another process, a record that failed),
/// caught up by walking only the commits after the last one indexed. A history that no longer contains that commit
/// (a replaced repository) is indexed again from the start. When the journal cannot be used at all, reads fall back
/// to walking Git, with a warning.
public final class VersionIndex: Sendable {
    /// The archive the index describes.
    public let archive: ConfigArchive
    private let journalPath: String
    private let opened: Mutex<EventJournal?>
    private let logger: Logger

    /// An index kept in the journal at `journalPath`, opened (and created or migrated) on first use.
    public init(archive: ConfigArchive, journalPath: String, logger: Logger) {
        self.archive = archive
        self.journalPath = journalPath
        opened = Mutex(nil)
        self.logger = logger
    }

    /// An index kept in an already open journal.
    public init(archive: ConfigArchive, journal: EventJournal, logger: Logger) {
        self.archive = archive
        journalPath = journal.path
        opened = Mutex(journal)
        self.logger = logger
    }

    /// Records a commit the caller just made; when the index was not at the commit's parent, catches up from Git
    /// instead. Never throws: a failure is logged and repaired by the next read's catch-up.
    public func record(_ outcome: CommitOutcome) async {
        do {
            let commit = outcome.commit
            let recorded = try await journal().appendVersions(
                [IndexedCommit(version: Self.indexed(commit), paths: outcome.changedFiles.map(\.path))],
                expectedHead: commit.parentIDs.first, newHead: commit.id)
            if !recorded { try await catchUp() }
        } catch {
            logger.warning(
                "version index not updated; the next history read catches up from Git",
                metadata: ["commit": "\(outcome.commit.shortID)", "reason": "\(error)"])
        }
    }

    /// Brings the index up to the archive's HEAD. Returns how many commits were added.
    @discardableResult
    public func catchUp() async throws -> Int {
        let journal = try await journal()
        for _ in 0..<5 {
            let start = try await journal.versionIndexHead()
            guard try await archive.headID() != start else { return 0 }
            let progress = Mutex<(head: String?, added: Int)>((start, 0))
            do {
                try await archive.changes(after: start, batchSize: 1_000) { batch in
                    guard let last = batch.last else { return }
                    let from = progress.withLock { $0.head }
                    let moved = try journal.appendVersionsBlocking(
                        batch.map { IndexedCommit(version: Self.indexed($0.commit), paths: $0.paths) },
                        expectedHead: from, newHead: last.commit.id)
                    guard moved else { throw IndexMoved() }
                    progress.withLock { $0 = (last.commit.id, $0.added + batch.count) }
                }
                return progress.withLock { $0.added }
            } catch is IndexMoved {
                continue  // another process indexed meanwhile: start again from where it got to
            } catch let error as ArchiveError where error.code == .invalidRevision && start != nil {
                logger.notice(
                    "the version index is not on the archive's history; indexing again from the first commit",
                    metadata: ["indexed": "\(start ?? "")", "reason": "\(error.message)"])
                try await journal.clearVersionIndex()
            }
        }
        throw ArchiveError(.io, "the version index in \(journalPath) kept moving while catching up; try again")
    }

    /// Empties the index and builds it again from the archive's whole history (`netraven reindex`).
    /// Returns how many commits were indexed.
    @discardableResult
    public func rebuild() async throws -> Int {
        try await journal().clearVersionIndex()
        return try await catchUp()
    }

    /// The commits that changed `path`, newest first, at most `limit` (nil = all): from the index after a
    /// catch-up, or from a walk through Git when the journal cannot be used.
    public func history(path: String, limit: Int? = nil) async throws -> [ArchiveCommit] {
        if let limit, limit <= 0 { return [] }
        let versions: [IndexedVersion]
        do {
            try await catchUp()
            versions = try await journal().versions(path: path, limit: limit)
        } catch {
            logger.warning(
                "version index unavailable; reading the history from Git",
                metadata: ["journal": "\(journalPath)", "reason": "\(error)"])
            return try await archive.history(path: path, limit: limit)
        }
        return versions.map(Self.commit)
    }

    /// The journal, opened on first use (on a thread of its own: opening blocks).
    func journal() async throws -> EventJournal {
        if let journal = opened.withLock({ $0 }) { return journal }
        let journal = try await EventJournal.open(path: journalPath)
        return opened.withLock { current in
            if let current { return current }
            current = journal
            return journal
        }
    }

    static func indexed(_ commit: ArchiveCommit) -> IndexedVersion {
        IndexedVersion(
            commitID: commit.id, shortID: commit.shortID, parentIDs: commit.parentIDs,
            authorName: commit.author.name, authorEmail: commit.author.email, authoredAt: commit.author.date,
            committerName: commit.committer.name, committerEmail: commit.committer.email,
            committedAt: commit.committer.date, summary: commit.summary, message: commit.message)
    }

    static func commit(_ version: IndexedVersion) -> ArchiveCommit {
        ArchiveCommit(
            id: version.commitID, shortID: version.shortID, summary: version.summary, message: version.message,
            author: ArchiveSignature(name: version.authorName, email: version.authorEmail, date: version.authoredAt),
            committer: ArchiveSignature(
                name: version.committerName, email: version.committerEmail, date: version.committedAt),
            trailers: ArchiveCommit.trailers(of: version.message), parentIDs: version.parentIDs)
    }
}

/// Thrown inside a catch-up batch when another writer moved the index: the walk stops and starts over.
private struct IndexMoved: Error {}
