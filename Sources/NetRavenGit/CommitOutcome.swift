/// What a successful `ConfigArchive.commit` produced.
public struct CommitOutcome: Sendable, Equatable {
    /// The new commit, now HEAD.
    public var commit: ArchiveCommit
    /// Per-file line statistics against the previous HEAD, sorted by path.
    public var changedFiles: [FileStat]
    /// The automatic pack this commit triggered (loose objects over the archive's threshold), if any.
    public var pack: PackResult?
    /// Why that automatic pack failed (the commit stands; the objects stay loose and are packed next time).
    public var packFailure: String?

    /// Creates an outcome.
    public init(commit: ArchiveCommit, changedFiles: [FileStat], pack: PackResult? = nil, packFailure: String? = nil) {
        self.commit = commit
        self.changedFiles = changedFiles
        self.pack = pack
        self.packFailure = packFailure
    }
}

/// Line statistics of one changed file.
public struct FileStat: Sendable, Equatable {
    /// Repository-relative path.
    public var path: String
    /// Lines added.
    public var insertions: Int
    /// Lines removed.
    public var deletions: Int
    /// True when the file did not exist in the previous HEAD.
    public var isNew: Bool

    /// Creates a statistic.
    public init(path: String, insertions: Int, deletions: Int, isNew: Bool) {
        self.path = path
        self.insertions = insertions
        self.deletions = deletions
        self.isNew = isNew
    }
}
