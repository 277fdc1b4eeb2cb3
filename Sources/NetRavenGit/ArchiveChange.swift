/// One commit of the archive with the files it changed against its first parent (for the version index).
public struct ArchiveChange: Sendable, Equatable {
    /// The commit.
    public var commit: ArchiveCommit
    /// Paths of the files the commit added, modified or removed, in Git's tree order.
    public var paths: [String]

    /// Creates a change.
    public init(commit: ArchiveCommit, paths: [String]) {
        self.commit = commit
        self.paths = paths
    }
}

extension ArchiveCommit {
    /// The trailer block of a commit message, parsed the way the archive parses its own commits (libgit2,
    /// like `git interpret-trailers`); for commits read back from somewhere else than the repository.
    public static func trailers(of message: String) -> [ArchiveTrailer] {
        _ = libgit2Initialization
        return GitRepository.trailers(of: message)
    }
}
