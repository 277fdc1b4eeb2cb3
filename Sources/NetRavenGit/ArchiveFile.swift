/// A text file to store in the archive, e.g. one device's configuration.
public struct ArchiveFile: Sendable, Equatable {
    /// Relative path inside the repository, `/`-separated (`core/r1.cfg`).
    public var path: String
    /// File contents; stored as UTF-8 bytes exactly as given.
    public var contents: String

    /// Creates a file value.
    public init(path: String, contents: String) {
        self.path = path
        self.contents = contents
    }
}
