import Foundation
import Logging
import NetRavenAgent
import NetRavenGit
import NetRavenJournal
import NetRavenTestSupport
import Testing

/// The journal's version index against the archive's own history walk (Git is the truth).
@Suite struct VersionIndexTests {
    private let paths = ["core/r1.cfg", "core/r1.facts.json", "core/r2.cfg", "edge/e1.cfg"]

    private func signature(_ seconds: Int) -> ArchiveSignature {
        ArchiveSignature(
            name: "NetRaven", email: "netraven@example.net", date: Date(timeIntervalSince1970: Double(seconds)))
    }

    /// Commits a change to `files` with trailers, like a capture does.
    @discardableResult
    private func commit(_ archive: ConfigArchive, _ files: [String], step: Int) async throws -> CommitOutcome {
        let message = "r1: change \(step)\n\nTrigger: syslog\nChanged-By: admin\(step)\nJob-Id: job-\(step)\n"
        return try #require(
            try await archive.commit(
                files: files.map { ArchiveFile(path: $0, contents: "step \(step) of \($0)\n") }, message: message,
                author: signature(1_700_000_000 + step), committer: signature(1_700_000_000 + step)))
    }

    private func expectSameHistory(_ index: VersionIndex, _ archive: ConfigArchive) async throws {
        for path in paths {
            let fromGit = try await archive.history(path: path)
            #expect(try await index.history(path: path) == fromGit, "all versions of \(path)")
            #expect(try await index.history(path: path, limit: 2) == Array(fromGit.prefix(2)), "last 2 of \(path)")
        }
    }

    private func withIndex(_ body: (ConfigArchive, EventJournal, VersionIndex, String) async throws -> Void)
        async throws
    {
        let directory = try TemporaryDirectory(prefix: "netraven-versions")
        let archive = try ConfigArchive(path: "\(directory.path)/archive.git")
        let journal = try EventJournal(path: "\(directory.path)/journal.sqlite")
        let index = VersionIndex(archive: archive, journal: journal, logger: Logger(label: "test"))
        do {
            try await body(archive, journal, index, directory.path)
        } catch {
            await archive.close()
            throw error
        }
        await archive.close()
    }

    @Test func recordedCommitsGiveTheSameHistoryAsGit() async throws {
        try await withIndex { archive, journal, index, _ in
            for step in 1...6 {
                let files = step % 2 == 0 ? ["core/r1.cfg", "core/r1.facts.json"] : ["core/r2.cfg", "core/r1.cfg"]
                await index.record(try await commit(archive, files, step: step))
            }
            #expect(try await journal.versionIndexHead() == archive.headID())
            #expect(try await journal.versionIndexSize().commits == 6)
            #expect(try await index.catchUp() == 0)
            try await expectSameHistory(index, archive)
            let newest = try #require(try await index.history(path: "core/r1.cfg", limit: 1).first)
            #expect(newest.trailer("Changed-By") == "admin6" && newest.trailer("Trigger") == "syslog")
            #expect(try await index.history(path: "edge/e1.cfg").isEmpty)
        }
    }

    @Test func commitsTheIndexDidNotSeeAreCaughtUpFromGit() async throws {
        try await withIndex { archive, journal, index, _ in
            await index.record(try await commit(archive, ["core/r1.cfg"], step: 1))
            // Another process (or a version before the index) commits without recording.
            try await commit(archive, ["core/r2.cfg", "edge/e1.cfg"], step: 2)
            try await commit(archive, ["core/r1.cfg"], step: 3)
            // A record whose parent the index does not have yet catches up instead of leaving a gap.
            await index.record(try await commit(archive, ["core/r1.facts.json"], step: 4))
            #expect(try await journal.versionIndexSize().commits == 4)
            try await commit(archive, ["edge/e1.cfg"], step: 5)
            #expect(try await journal.versionIndexHead() != archive.headID())
            try await expectSameHistory(index, archive)
            #expect(try await journal.versionIndexHead() == archive.headID())
        }
    }

    @Test func rebuildIndexesTheWholeHistoryAgain() async throws {
        try await withIndex { archive, journal, index, _ in
            for step in 1...5 { try await commit(archive, [paths[step % paths.count]], step: step) }
            #expect(try await index.rebuild() == 5)
            #expect(try await index.rebuild() == 5)
            #expect(try await journal.versionIndexSize().commits == 5)
            try await expectSameHistory(index, archive)
        }
    }

    @Test func anIndexOfAnotherHistoryIsBuiltAgain() async throws {
        try await withIndex { archive, journal, index, directory in
            for step in 1...3 { await index.record(try await commit(archive, ["core/r1.cfg"], step: step)) }
            // The repository is replaced: the indexed head is not on the new history.
            let replacement = try ConfigArchive(path: "\(directory)/replacement.git")
            for step in 10...11 { try await commit(replacement, ["core/r2.cfg"], step: step) }
            let other = VersionIndex(archive: replacement, journal: journal, logger: Logger(label: "test"))
            #expect(try await other.catchUp() == 2)
            #expect(try await other.history(path: "core/r1.cfg").isEmpty)
            #expect(try await other.history(path: "core/r2.cfg") == replacement.history(path: "core/r2.cfg"))
            await replacement.close()
        }
    }
}
