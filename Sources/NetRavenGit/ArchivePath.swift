/// A validated repository-relative path, split into components.
///
/// Device names end up in paths, so everything that could escape the tree or touch Git's own files is refused:
/// absolute paths, empty components (`a//b`, trailing `/`), `.` and `..`, any `.git` component (any case, since
/// case-insensitive file systems treat `.GIT` as `.git` on checkout), backslashes and NUL/control characters.
struct ArchivePath: Hashable {
    let components: [String]

    var string: String { components.joined(separator: "/") }

    init(_ path: String) throws {
        guard !path.isEmpty else { throw ArchiveError(.invalidPath, "empty path") }
        guard !path.hasPrefix("/") else { throw ArchiveError(.invalidPath, "absolute path not allowed: \(path)") }
        guard !path.contains("\\") else { throw ArchiveError(.invalidPath, "backslash not allowed: \(path)") }
        guard !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw ArchiveError(.invalidPath, "control character in path: \(path.debugDescription)")
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for part in parts {
            if part.isEmpty { throw ArchiveError(.invalidPath, "empty path component: \(path)") }
            if part == "." || part == ".." { throw ArchiveError(.invalidPath, "'\(part)' component: \(path)") }
            if part.lowercased() == ".git" { throw ArchiveError(.invalidPath, "'.git' component: \(path)") }
        }
        components = parts
    }
}
