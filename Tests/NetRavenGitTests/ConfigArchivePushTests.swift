import Foundation
import NetRavenGit
import NetRavenTestSupport
import Testing

@Suite struct ConfigArchivePushTests {
    @Test func pushOverFileURLDeliversCommitsInOrder() async throws {
        try await withArchive { archive, directory in
            let remotePath = "\(directory)/remote.git"
            try makeBareRemote(at: remotePath)
            let remote = PushRemote(url: "file://\(remotePath)", hostKeyPolicy: .insecureAcceptAny)

            let c1 = try #require(try await archive.commit(["core/r1.cfg": "v1\n"]))
            let first = try await archive.push(remote)
            #expect(first.pushedCommit == c1.commit.id)
            #expect(first.remoteRef == "refs/heads/main")
            #expect(try git("--git-dir=\(remotePath)", "log", "--format=%H", "main") == c1.commit.id)

            let c2 = try #require(try await archive.commit(["core/r1.cfg": "v2\n"]))
            let c3 = try #require(try await archive.commit(["core/r2.cfg": "v1\n"]))
            let second = try await archive.push(remote)
            #expect(second.pushedCommit == c3.commit.id)
            #expect(
                try git("--git-dir=\(remotePath)", "log", "--format=%H", "main")
                    == [c3.commit.id, c2.commit.id, c1.commit.id].joined(separator: "\n"))
            #expect(try git("--git-dir=\(remotePath)", "show", "main:core/r1.cfg") == "v2")

            let again = try await archive.push(remote)
            #expect(again.pushedCommit == c3.commit.id)
        }
    }

    @Test func pushNeverForcesOverRemoteCommits() async throws {
        try await withArchive { archive, directory in
            let remotePath = "\(directory)/remote.git"
            try makeBareRemote(at: remotePath)
            let remote = PushRemote(url: "file://\(remotePath)", hostKeyPolicy: .insecureAcceptAny)

            // Someone else's history reaches the remote first.
            let other = try ConfigArchive(path: "\(directory)/other.git")
            try await other.commit(["core/r1.cfg": "theirs\n"])
            let theirs = try await other.push(remote)
            await other.close()

            let ours = try #require(try await archive.commit(["core/r1.cfg": "ours\n"]))
            let error = await #expect(throws: ArchiveError.self) { try await archive.push(remote) }
            #expect(error?.code == .pushRejected)
            #expect(try git("--git-dir=\(remotePath)", "rev-parse", "main") == theirs.pushedCommit)
            #expect(try await archive.head()?.id == ours.commit.id)
        }
    }

    /// libgit2's local transport copies objects itself and runs no hooks: server-side refusals need ssh/https.
    @Test func fileRemotesDoNotRunHooks() async throws {
        try await withArchive { archive, directory in
            let remotePath = "\(directory)/remote.git"
            try makeBareRemote(at: remotePath, preReceiveHook: "#!/bin/sh\nexit 1\n")
            let commit = try #require(try await archive.commit(["r1.cfg": "v1\n"]))
            _ = try await archive.push(PushRemote(url: "file://\(remotePath)", hostKeyPolicy: .insecureAcceptAny))
            #expect(try git("--git-dir=\(remotePath)", "rev-parse", "main") == commit.commit.id)
        }
    }

    @Test func pushWithoutCommitsIsNotFound() async throws {
        try await withArchive { archive, directory in
            try makeBareRemote(at: "\(directory)/remote.git")
            let error = await #expect(throws: ArchiveError.self) {
                try await archive.push(
                    PushRemote(url: "file://\(directory)/remote.git", hostKeyPolicy: .insecureAcceptAny))
            }
            #expect(error?.code == .notFound)
        }
    }

    @Test func secretsStayOutOfErrorsAndDescriptions() async throws {
        try await withArchive { archive, _ in
            try await archive.commit(["r1.cfg": "x\n"])
            let port = try freeLoopbackPort()
            let remote = PushRemote(
                url: "https://ops:s3cret-in-url@127.0.0.1:\(port)/archive.git",
                credentials: .token(username: "ops", token: "tok-SECRET-123"), hostKeyPolicy: .insecureAcceptAny)
            #expect(!"\(remote)".contains("tok-SECRET-123"))
            #expect(!"\(remote)".contains("s3cret-in-url"))
            #expect(!String(reflecting: remote.credentials).contains("tok-SECRET-123"))
            let error = await #expect(throws: ArchiveError.self) { try await archive.push(remote) }
            #expect(error?.code == .pushFailed)
            let text = "\(String(describing: error)) \(error?.message ?? "")"
            #expect(!text.contains("tok-SECRET-123"))
            #expect(!text.contains("s3cret-in-url"))
        }
    }
}
