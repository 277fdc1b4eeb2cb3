import Foundation

/// Where the package's own files are, for tests that read rules or run scripts from the source tree.
public enum PackagePaths {
    /// The package root (this file is Sources/NetRavenTestSupport/PackagePaths.swift).
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The repository's `rules/` directory.
    public static var rules: String { root + "/rules" }

    /// A file in `scripts/`.
    public static func script(_ name: String) -> String { root + "/scripts/" + name }
}
