import Foundation
import NetRavenGit
import Testing

@Suite struct ConfigArchiveCommitTests {
    @Test func firstCommitCreatesBareRepositoryOnMain() async throws {
        try await withArchive { archive, directory in
            #expect(try await archive.head() == nil)
            #expect(try await archive.read(path: "core/r1.cfg") == nil)
            let outcome = try #require(try await archive.commit(["core/r1.cfg": "hostname r1\ninterface e0\n"]))
            #expect(outcome.changedFiles == [FileStat(path: "core/r1.cfg", insertions: 2, deletions: 0, isNew: true)])
            #expect(outcome.commit.parentIDs.isEmpty)
            #expect(try await archive.head() == outcome.commit)
            #expect(try await archive.read(path: "core/r1.cfg") == "hostname r1\ninterface e0\n")

            let gitDir = "\(directory)/archive.git"
            #expect(try git("--git-dir=\(gitDir)", "rev-parse", "--is-bare-repository") == "true")
            #expect(try git("--git-dir=\(gitDir)", "rev-parse", "refs/heads/main") == outcome.commit.id)
            #expect(try git("--git-dir=\(gitDir)", "fsck", "--strict", "--no-progress").isEmpty)
        }
    }

    @Test func identicalContentMakesNoCommit() async throws {
        try await withArchive { archive, _ in
            let first = try #require(try await archive.commit(["r1.cfg": "a\n", "r2.cfg": "b\n"]))
            #expect(try await archive.commit(["r1.cfg": "a\n"]) == nil)
            #expect(try await archive.commit(["r1.cfg": "a\n", "r2.cfg": "b\n"]) == nil)
            #expect(try await archive.commit([:]) == nil)
            #expect(try await archive.head()?.id == first.commit.id)
        }
    }

    @Test func changedContentCommitsWithDiffstatAndKeepsOtherFiles() async throws {
        try await withArchive { archive, _ in
            let first = try #require(try await archive.commit(["r1.cfg": "a\nb\nc\n", "r2.cfg": "x\n"]))
            let second = try #require(
                try await archive.commit(["r1.cfg": "a\nB\nc\nd\n", "r2.cfg": "x\n", "r3.cfg": "new\n"]))
            #expect(second.commit.parentIDs == [first.commit.id])
            #expect(
                second.changedFiles == [
                    FileStat(path: "r1.cfg", insertions: 2, deletions: 1, isNew: false),
                    FileStat(path: "r3.cfg", insertions: 1, deletions: 0, isNew: true),
                ])
            #expect(try await archive.read(path: "r2.cfg") == "x\n")
        }
    }

    @Test func nestedPathsShareAndUpdateSubtrees() async throws {
        try await withArchive { archive, directory in
            try await archive.commit([
                "core/r1.cfg": "core r1\n", "emea/par1/r1.cfg": "par1 r1\n", "emea/par2/r2.cfg": "par2 r2\n",
            ])
            let update = try #require(try await archive.commit(["emea/par1/r1.cfg": "par1 r1 v2\n"]))
            #expect(update.changedFiles.map(\.path) == ["emea/par1/r1.cfg"])
            try await archive.commit(["emea/par1/r9.cfg": "par1 r9\n"])
            let files = try git("--git-dir=\(directory)/archive.git", "ls-tree", "-r", "--name-only", "HEAD")
            #expect(
                files.split(separator: "\n") == [
                    "core/r1.cfg", "emea/par1/r1.cfg", "emea/par1/r9.cfg", "emea/par2/r2.cfg",
                ])
            #expect(try await archive.read(path: "emea/par1/r1.cfg") == "par1 r1 v2\n")
            #expect(try await archive.read(path: "emea/par1") == nil)
        }
    }

    @Test(arguments: ["../x", "/etc/x", "a/../b", ".git/config", "a/.GIT/x", "a//b", "a/", "", "./a", "a\\b"])
    func invalidPathsAreRejected(path: String) async throws {
        try await withArchive { archive, _ async throws in
            let error = await #expect(throws: ArchiveError.self) {
                try await archive.commit([path: "x\n", "ok.cfg": "fine\n"])
            }
            #expect(error?.code == .invalidPath)
            #expect(try await archive.head() == nil)
            let readError = await #expect(throws: ArchiveError.self) { try await archive.read(path: path) }
            #expect(readError?.code == .invalidPath)
        }
    }

    @Test func fileDirectoryConflictsAreRejected() async throws {
        try await withArchive { archive, _ in
            try await archive.commit(["core/r1.cfg": "x\n"])
            let asFile = await #expect(throws: ArchiveError.self) { try await archive.commit(["core": "x\n"]) }
            #expect(asFile?.code == .invalidPath)
            let asDirectory = await #expect(throws: ArchiveError.self) {
                try await archive.commit(["core/r1.cfg/sub": "x\n"])
            }
            #expect(asDirectory?.code == .invalidPath)
        }
    }

    @Test func reopeningKeepsHistoryAndNonRepositoryDirectoryIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let path = "\(directory)/archive.git"
            let first = try ConfigArchive(path: path)
            let outcome = try #require(try await first.commit(["r1.cfg": "a\n"]))
            await first.close()
            let closedError = await #expect(throws: ArchiveError.self) { try await first.head() }
            #expect(closedError?.code == .closed)

            let second = try ConfigArchive(path: path)
            #expect(try await second.head()?.id == outcome.commit.id)
            await second.close()

            try FileManager.default.createDirectory(atPath: "\(directory)/plain", withIntermediateDirectories: true)
            try "x".write(toFile: "\(directory)/plain/file.txt", atomically: true, encoding: .utf8)
            let openError = #expect(throws: ArchiveError.self) { try ConfigArchive(path: "\(directory)/plain") }
            #expect(openError?.code == .openFailed)
        }
    }
}
