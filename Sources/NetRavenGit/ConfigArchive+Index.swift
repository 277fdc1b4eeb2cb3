internal import CLibGit2

extension ConfigArchive {
    /// HEAD's full commit id; nil before the first commit. Cheaper than `head()` (no message, no short id).
    public func headID() async throws -> String? {
        try await run { repository in try repository.headCommit().map { hex(git_commit_id($0.pointer).pointee) } }
    }

    /// Walks the commits after `base` (nil = from the first) up to HEAD, oldest first, and hands them to `visit`
    /// in batches of `batchSize`, each with the paths it changed against its first parent.
    ///
    /// `visit` runs on the archive's own thread (it may block, e.g. on a database write) and no other archive call
    /// runs meanwhile. Returns HEAD's id at the walk (nil while the archive is empty). Throws `.invalidRevision`
    /// when `base` is not HEAD or one of its ancestors.
    @discardableResult
    public func changes(
        after base: String?, batchSize: Int = 1_000, _ visit: @escaping @Sendable ([ArchiveChange]) throws -> Void
    ) async throws -> String? {
        try await run { repository in try repository.changes(after: base, batchSize: max(1, batchSize), visit) }
    }

    /// Packs every loose object now (see `autoPackThreshold` for the automatic packing after commits).
    @discardableResult
    public func packLooseObjects() async throws -> PackResult {
        try await run { repository in try repository.packLooseObjects() }
    }
}
