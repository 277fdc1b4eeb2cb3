import Foundation
import NetRavenGit
import Testing

/// Pushes over https with a token to a real Git server (git http-backend behind TLS and Basic auth) on loopback,
/// trusting its throwaway CA through `PushRemote.caFile`.
struct ConfigArchiveHTTPSPushTests {
    private static let user = "netraven"
    private static let token = "glpat-Tk9xQ2vR7mZ4"

    /// Runs `body` with an archive, a server whose certificate CA "trusted" signed, an empty bare repository
    /// `archive.git` on it, and the test directory.
    private func withHTTPSRemote(
        _ body: (ConfigArchive, HTTPSGitServer, ServerCertificate, String) async throws -> Void
    ) async throws {
        try await withArchive { archive, directory in
            let trusted = try ServerCertificate(directory: directory, name: "trusted")
            let server = try HTTPSGitServer(directory: directory, user: Self.user)
            defer { server.stop() }
            try makeBareRemote(at: server.repositoryPath("archive.git"))
            try server.start(certificate: trusted, token: Self.token)
            try await body(archive, server, trusted, directory)
        }
    }

    private func remote(_ server: HTTPSGitServer, token: String, caFile: String?) -> PushRemote {
        PushRemote(
            url: server.url("archive.git"), credentials: .token(username: Self.user, token: token),
            hostKeyPolicy: .insecureAcceptAny, caFile: caFile)
    }

    /// Everything a log line or report could show of a failed push.
    private func visibleText(_ error: ArchiveError?, _ remote: PushRemote) -> String {
        guard let error else { return "\(remote)" }
        return "\(error) | \(String(reflecting: error)) | \(error.message) | \(remote) | \(String(reflecting: remote))"
    }

    @Test func theRightTokenPushesAndTheServerHasTheCommits() async throws {
        try await withHTTPSRemote { archive, server, trusted, _ in
            let push = remote(server, token: Self.token, caFile: trusted.authorityPath)
            let c1 = try #require(try await archive.commit(["core/r1.cfg": "hostname r1\n"], message: "first"))
            let first = try await archive.push(push)
            #expect(first.pushedCommit == c1.commit.id)
            #expect(first.previousRemoteCommit == nil)
            let bare = "--git-dir=\(server.repositoryPath("archive.git"))"
            #expect(try git(bare, "rev-parse", "main") == c1.commit.id)

            let c2 = try #require(try await archive.commit(["core/r1.cfg": "hostname r1-new\n"], message: "second"))
            let second = try await archive.push(push)
            #expect(second.previousRemoteCommit == c1.commit.id)
            #expect(try git(bare, "log", "--format=%H %s", "main") == "\(c2.commit.id) second\n\(c1.commit.id) first")
            #expect(try git(bare, "show", "main:core/r1.cfg") == "hostname r1-new")
        }
    }

    @Test func aWrongTokenFailsAuthenticationKeepsTheCommitAndNeverShowsAToken() async throws {
        try await withHTTPSRemote { archive, server, trusted, _ in
            let wrongToken = "glpat-WRONG-8fJ2kQ"
            let wrong = remote(server, token: wrongToken, caFile: trusted.authorityPath)
            let commit = try #require(try await archive.commit(["r1.cfg": "v1\n"]))
            let error = await #expect(throws: ArchiveError.self) { try await archive.push(wrong) }
            #expect(error?.code == .authenticationFailed)
            #expect(error?.message.contains("rejected the credentials") == true)
            let text = visibleText(error, wrong)
            #expect(!text.contains(wrongToken))
            #expect(!text.contains(Self.token))
            #expect(try await archive.head()?.id == commit.commit.id)
            let bare = "--git-dir=\(server.repositoryPath("archive.git"))"
            let remoteMain = try runProcess("/usr/bin/git", [bare, "rev-parse", "--verify", "-q", "main"], check: false)
            #expect(remoteMain.status != 0)

            // The kept commit goes with the next push that has the right token.
            let right = remote(server, token: Self.token, caFile: trusted.authorityPath)
            #expect(try await archive.push(right).pushedCommit == commit.commit.id)
            #expect(try git(bare, "rev-parse", "main") == commit.commit.id)
        }
    }

    /// The server's certificate is signed by a CA the push does not trust: another private CA, or (nil) only the
    /// system bundle.
    @Test(arguments: [true, false])
    func anUntrustedCertificateIsRefused(configureOtherAuthority: Bool) async throws {
        try await withHTTPSRemote { archive, server, _, directory in
            let other = try ServerCertificate(directory: directory, name: "other")
            let push = remote(server, token: Self.token, caFile: configureOtherAuthority ? other.authorityPath : nil)
            let commit = try #require(try await archive.commit(["r1.cfg": "v1\n"]))
            let error = await #expect(throws: ArchiveError.self) { try await archive.push(push) }
            #expect(error?.code == .certificateUntrusted)
            #expect(!visibleText(error, push).contains(Self.token))
            #expect(try await archive.head()?.id == commit.commit.id)
            let bare = "--git-dir=\(server.repositoryPath("archive.git"))"
            let remoteMain = try runProcess("/usr/bin/git", [bare, "rev-parse", "--verify", "-q", "main"], check: false)
            #expect(remoteMain.status != 0)
        }
    }

    @Test func aMissingCAFileIsAClearError() async throws {
        try await withHTTPSRemote { archive, server, _, directory in
            try await archive.commit(["r1.cfg": "v1\n"])
            let push = remote(server, token: Self.token, caFile: "\(directory)/no-such-ca.pem")
            let error = await #expect(throws: ArchiveError.self) { try await archive.push(push) }
            #expect(error?.code == .io)
            #expect(error?.message.contains("no-such-ca.pem") == true)
        }
    }
}
