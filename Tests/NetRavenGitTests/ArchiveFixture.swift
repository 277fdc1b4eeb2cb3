import Foundation
import NetRavenGit

/// Opens a fresh archive in a temporary directory, closes it and removes everything afterwards.
func withArchive<T>(_ body: (ConfigArchive, String) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { directory in
        let archive = try ConfigArchive(path: "\(directory)/archive.git")
        do {
            let result = try await body(archive, directory)
            await archive.close()
            return result
        } catch {
            await archive.close()
            throw error
        }
    }
}

/// Whole-second signatures (Git stores seconds) so they round-trip exactly.
func signature(_ name: String, at seconds: TimeInterval) -> ArchiveSignature {
    ArchiveSignature(
        name: name, email: "\(name.lowercased().replacingOccurrences(of: " ", with: "."))@example.net",
        date: Date(timeIntervalSince1970: seconds))
}

let netraven = signature("NetRaven", at: 1_700_000_000)

extension ConfigArchive {
    /// Commits with fixed signatures; for tests that do not care about them.
    @discardableResult
    func commit(_ files: [String: String], message: String = "update") async throws -> CommitOutcome? {
        try await commit(
            files: files.map { ArchiveFile(path: $0.key, contents: $0.value) }, message: message,
            author: netraven, committer: netraven)
    }
}
