import Foundation
import NetRavenGit
import Testing

/// Pushes through a private OpenSSH server on loopback (libgit2 → libssh2 → sshd → git-receive-pack).
@Suite(.enabled(if: ConfigArchive.supportsSSH, "libgit2 built without SSH"))
struct ConfigArchiveSSHPushTests {
    /// Runs `body` with an archive, a started sshd (host key "a") and a bare remote repository path.
    private func withSSHRemote(
        hook: String? = nil,
        _ body: (ConfigArchive, SSHServerFixture, String, String) async throws -> Void
    ) async throws {
        try await withArchive { archive, directory in
            let sshDirectory = "\(directory)/ssh"
            try FileManager.default.createDirectory(atPath: sshDirectory, withIntermediateDirectories: true)
            let server = try SSHServerFixture(directory: sshDirectory)
            defer { server.stop() }
            try await server.start(hostKeyName: "a")
            let remotePath = "\(directory)/remote.git"
            try makeBareRemote(at: remotePath, preReceiveHook: hook)
            try await body(archive, server, remotePath, directory)
        }
    }

    private func remote(_ server: SSHServerFixture, _ path: String, _ policy: PushRemote.HostKeyPolicy) -> PushRemote {
        PushRemote(
            url: server.url(for: path),
            credentials: .sshKey(username: server.userName, privateKeyPath: server.clientKey), hostKeyPolicy: policy)
    }

    @Test func trustOnFirstUseRecordsKeyAndRejectsAChangedOne() async throws {
        try await withSSHRemote { archive, server, remotePath, directory in
            let knownHosts = "\(directory)/state/known_hosts"
            let tofu = remote(server, remotePath, .trustOnFirstUse(knownHostsFile: knownHosts))
            let c1 = try #require(try await archive.commit(["core/r1.cfg": "v1\n"]))
            #expect(try await archive.push(tofu).pushedCommit == c1.commit.id)
            #expect(try git("--git-dir=\(remotePath)", "rev-parse", "main") == c1.commit.id)
            let recorded = try String(contentsOfFile: knownHosts, encoding: .utf8)
            #expect(recorded == "127.0.0.1:\(server.port) \(try server.fingerprint(ofHostKey: "a"))\n")

            // Same endpoint, same key: accepted without a new record.
            let c2 = try #require(try await archive.commit(["core/r1.cfg": "v2\n"]))
            #expect(try await archive.push(tofu).pushedCommit == c2.commit.id)
            #expect(try String(contentsOfFile: knownHosts, encoding: .utf8) == recorded)

            // The server comes back on the same port with another key.
            let port = server.port
            server.stop()
            try await server.start(hostKeyName: "b")
            try #require(server.port == port, "sshd could not reuse port \(port)")
            try await archive.commit(["core/r1.cfg": "v3\n"])
            let error = await #expect(throws: ArchiveError.self) { try await archive.push(tofu) }
            #expect(error?.code == .hostKeyMismatch)
            #expect(try git("--git-dir=\(remotePath)", "rev-parse", "main") == c2.commit.id)
            #expect(try String(contentsOfFile: knownHosts, encoding: .utf8) == recorded)
        }
    }

    @Test func pinnedFingerprintMatchesOpenSSHFormat() async throws {
        try await withSSHRemote { archive, server, remotePath, _ in
            let c1 = try #require(try await archive.commit(["r1.cfg": "v1\n"]))
            let wrong = remote(server, remotePath, .pinned(fingerprint: try server.fingerprint(ofHostKey: "other")))
            let error = await #expect(throws: ArchiveError.self) { try await archive.push(wrong) }
            #expect(error?.code == .hostKeyMismatch)

            let pinned = remote(server, remotePath, .pinned(fingerprint: try server.fingerprint(ofHostKey: "a")))
            #expect(try await archive.push(pinned).pushedCommit == c1.commit.id)
        }
    }

    @Test func hookRejectionKeepsLocalCommitsAndTheNextPushDeliversThemAll() async throws {
        let hook = "#!/bin/sh\necho 'change freeze: archive is read-only' >&2\nexit 1\n"
        try await withSSHRemote(hook: hook) { archive, server, remotePath, _ in
            let push = remote(server, remotePath, .insecureAcceptAny)
            let c1 = try #require(try await archive.commit(["r1.cfg": "v1\n"], message: "first"))
            let error = await #expect(throws: ArchiveError.self) { try await archive.push(push) }
            #expect(error?.code == .pushRejected)
            #expect(error?.message.contains("change freeze") == true)
            #expect(try await archive.head()?.id == c1.commit.id)
            #expect(
                try runProcess("/usr/bin/git", ["--git-dir=\(remotePath)", "rev-parse", "--verify", "-q", "main"],
                    check: false).status != 0)

            let c2 = try #require(try await archive.commit(["r1.cfg": "v2\n"], message: "second"))
            try FileManager.default.removeItem(atPath: "\(remotePath)/hooks/pre-receive")
            #expect(try await archive.push(push).pushedCommit == c2.commit.id)
            #expect(
                try git("--git-dir=\(remotePath)", "log", "--format=%H %s", "main")
                    == "\(c2.commit.id) second\n\(c1.commit.id) first")
        }
    }

    @Test func passphraseProtectedKeyWorksAndAWrongPassphraseStaysSecret() async throws {
        try await withSSHRemote { archive, server, remotePath, directory in
            let commit = try #require(try await archive.commit(["r1.cfg": "v1\n"]))
            let lockedKey = "\(directory)/ssh/locked_ed25519"
            try runProcess("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "right-horse", "-f", lockedKey])
            let authorized = try String(contentsOfFile: "\(directory)/ssh/authorized_keys", encoding: .utf8)
            let lockedPublic = try String(contentsOfFile: "\(lockedKey).pub", encoding: .utf8)
            try (authorized + lockedPublic).write(
                toFile: "\(directory)/ssh/authorized_keys", atomically: true, encoding: .utf8)

            func remote(passphrase: String) -> PushRemote {
                PushRemote(
                    url: server.url(for: remotePath),
                    credentials: .sshKey(username: server.userName, privateKeyPath: lockedKey, passphrase: passphrase),
                    hostKeyPolicy: .insecureAcceptAny)
            }
            let error = await #expect(throws: ArchiveError.self) {
                try await archive.push(remote(passphrase: "wrong-battery-staple"))
            }
            #expect(error?.code == .authenticationFailed)
            let text = "\(String(describing: error)) \(error?.message ?? "")"
            #expect(!text.contains("wrong-battery-staple"))
            #expect(try await archive.push(remote(passphrase: "right-horse")).pushedCommit == commit.commit.id)
        }
    }

    @Test func unknownKeyFailsAuthenticationWithoutLooping() async throws {
        try await withSSHRemote { archive, server, remotePath, directory in
            try await archive.commit(["r1.cfg": "v1\n"])
            let strayKey = "\(directory)/ssh/stray_ed25519"
            try runProcess("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", strayKey])
            let push = PushRemote(
                url: server.url(for: remotePath),
                credentials: .sshKey(username: server.userName, privateKeyPath: strayKey),
                hostKeyPolicy: .insecureAcceptAny)
            let error = await #expect(throws: ArchiveError.self) { try await archive.push(push) }
            #expect(error?.code == .authenticationFailed)
        }
    }
}
