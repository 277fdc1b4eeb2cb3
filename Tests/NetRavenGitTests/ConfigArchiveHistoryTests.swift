import Foundation
import NetRavenGit
import Testing

@Suite struct ConfigArchiveHistoryTests {
    @Test func authorCommitterAndTrailersRoundTrip() async throws {
        try await withArchive { archive, _ in
            let author = signature("Jane Doe", at: 1_700_000_100)
            let committer = signature("NetRaven Collector", at: 1_700_000_200)
            let message = """
                r1: interface description changed

                Captured after a configuration change notification.

                Trigger: syslog
                Device: r1
                Changed-By: jdoe
                """
            _ = try #require(
                try await archive.commit(
                    files: [ArchiveFile(path: "core/r1.cfg", contents: "hostname r1\n")], message: message,
                    author: author, committer: committer))
            let commit = try #require(try await archive.history(path: "core/r1.cfg").first)
            #expect(commit.author == author)
            #expect(commit.committer == committer)
            #expect(commit.summary == "r1: interface description changed")
            #expect(commit.message.hasPrefix("r1: interface description changed\n\nCaptured"))
            #expect(
                commit.trailers == [
                    ArchiveTrailer(key: "Trigger", value: "syslog"), ArchiveTrailer(key: "Device", value: "r1"),
                    ArchiveTrailer(key: "Changed-By", value: "jdoe"),
                ])
            #expect(commit.trailer("changed-by") == "jdoe")
            #expect(commit.id.count == 40)
            #expect(commit.id.hasPrefix(commit.shortID) && commit.shortID.count >= 7)
        }
    }

    @Test func historyListsOnlyCommitsTouchingThePathNewestFirst() async throws {
        try await withArchive { archive, _ in
            let c1 = try #require(try await archive.commit(["r1.cfg": "v1\n", "r2.cfg": "v1\n"], message: "c1"))
            try await archive.commit(["r2.cfg": "v2\n"], message: "c2")
            let c3 = try #require(try await archive.commit(["r1.cfg": "v2\n"], message: "c3"))
            try await archive.commit(["r2.cfg": "v3\n"], message: "c4")
            let c5 = try #require(try await archive.commit(["r1.cfg": "v3\n", "r2.cfg": "v4\n"], message: "c5"))

            let r1 = try await archive.history(path: "r1.cfg")
            #expect(r1.map(\.id) == [c5.commit.id, c3.commit.id, c1.commit.id])
            #expect(try await archive.history(path: "r2.cfg").map(\.summary) == ["c5", "c4", "c2", "c1"])
            #expect(try await archive.history(path: "r1.cfg", limit: 2).map(\.summary) == ["c5", "c3"])
            #expect(try await archive.history(path: "r1.cfg", limit: 0).isEmpty)
            #expect(try await archive.history(path: "missing.cfg").isEmpty)
        }
    }

    @Test func readAtOlderRevisions() async throws {
        try await withArchive { archive, _ in
            let c1 = try #require(try await archive.commit(["r1.cfg": "v1\n"]))
            try await archive.commit(["r1.cfg": "v2\n"])
            try await archive.commit(["r1.cfg": "v3\n", "r2.cfg": "new\n"])
            #expect(try await archive.read(path: "r1.cfg") == "v3\n")
            #expect(try await archive.read(path: "r1.cfg", revision: "HEAD~1") == "v2\n")
            #expect(try await archive.read(path: "r1.cfg", revision: "HEAD~2") == "v1\n")
            #expect(try await archive.read(path: "r1.cfg", revision: c1.commit.shortID) == "v1\n")
            #expect(try await archive.read(path: "r2.cfg", revision: "HEAD~1") == nil)
            let error = await #expect(throws: ArchiveError.self) {
                try await archive.read(path: "r1.cfg", revision: "no-such-revision")
            }
            #expect(error?.code == .invalidRevision)
            #expect(error?.message.contains("no-such-revision") == true)
        }
    }

    @Test func diffShowsHeadersAndChangedLines() async throws {
        try await withArchive { archive, _ in
            let c1 = try #require(
                try await archive.commit(["core/r1.cfg": "hostname r1\ninterface e0\n description old\n"]))
            try await archive.commit(["core/r1.cfg": "hostname r1\ninterface e0\n description new\n"])
            try await archive.commit([
                "core/r1.cfg": "hostname r1\ninterface e0\n description new\nntp server 10.0.0.1\n"
            ])

            let last = try await archive.diff(path: "core/r1.cfg", from: nil, to: nil)
            #expect(last.contains("--- a/core/r1.cfg\n+++ b/core/r1.cfg\n"))
            #expect(last.contains("\n+ntp server 10.0.0.1\n"))
            #expect(!last.contains("description old"))

            let explicit = try await archive.diff(path: "core/r1.cfg", from: c1.commit.id, to: "HEAD~1")
            #expect(explicit.contains("diff --git a/core/r1.cfg b/core/r1.cfg"))
            #expect(explicit.contains("\n- description old\n+ description new\n"))
            #expect(!explicit.contains("ntp"))

            let creation = try await archive.diff(path: "core/r1.cfg", from: nil, to: c1.commit.id)
            #expect(creation.contains("+hostname r1\n"))
            #expect(try await archive.diff(path: "core/r1.cfg", from: "HEAD", to: "HEAD").isEmpty)
            #expect(try await archive.diff(path: "other.cfg", from: nil, to: nil).isEmpty)
        }
    }

    @Test func concurrentCallsAreSerialised() async throws {
        try await withArchive { archive, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask { try await archive.commit(["r\(index).cfg": "config \(index)\n"]) }
                }
                try await group.waitForAll()
            }
            #expect(try await archive.history(path: "r7.cfg").count == 1)
            for index in 0..<20 {
                #expect(try await archive.read(path: "r\(index).cfg") == "config \(index)\n")
            }
        }
    }
}
