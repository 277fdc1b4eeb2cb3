import NetRavenCore
import NetRavenSSH
import Testing

@Suite("Authentication against a real sshd")
struct AuthenticationTests {
    @Test("ed25519 key: login, shell, echo round trip")
    func publicKey() async throws {
        try await withSSHServer { server in
            let key = server.clientKeyPath
            let marker = try await inSession(server.target()) { session in
                try session.loginAndEcho(.privateKey(path: key, passphrase: nil))
            }
            #expect(marker.hasPrefix("hello-"))
        }
    }

    @Test("passphrase-protected key")
    func encryptedKey() async throws {
        try await withSSHServer { server in
            let (key, passphrase) = (server.encryptedClientKeyPath, server.passphrase)
            let marker = try await inSession(server.target()) { session in
                try session.loginAndEcho(.privateKey(path: key, passphrase: passphrase))
            }
            #expect(marker.hasPrefix("hello-"))
        }
    }

    @Test("key not in authorized_keys is rejected with the allowed methods named")
    func wrongKey() async throws {
        try await withSSHServer { server in
            let key = server.strangerKeyPath
            let error = await #expect(throws: SSHError.self) {
                try await inSession(server.target()) { session in
                    _ = try session.connect()
                    try session.authenticate(.privateKey(path: key, passphrase: nil))
                }
            }
            #expect(error?.code == .authenticationFailed)
            #expect(error?.message.contains("server allows: publickey") == true)
        }
    }

    @Test("wrong passphrase fails as authentication and never shows the passphrase")
    func wrongPassphrase() async throws {
        try await withSSHServer { server in
            let key = server.encryptedClientKeyPath
            let wrong = server.passphrase + "-wrong"
            let error = await #expect(throws: SSHError.self) {
                try await inSession(server.target()) { session in
                    _ = try session.connect()
                    try session.authenticate(.privateKey(path: key, passphrase: wrong))
                }
            }
            #expect(error?.code == .authenticationFailed)
            #expect(error.map { !"\($0)".contains(wrong) && !"\($0)".contains(server.passphrase) } == true)
        }
    }

    @Test("password login with the netraven-test system user")
    func password() async throws {
        let password = try TestUser.password()
        try await withSSHServer { server in
            let target = server.target(username: TestUser.name)
            let marker = try await inSession(target) { session in
                try session.loginAndEcho(.password(password))
            }
            #expect(marker.hasPrefix("hello-"))
        }
    }

    @Test("wrong password is rejected and the message does not contain it")
    func wrongPassword() async throws {
        _ = try TestUser.password()
        try await withSSHServer { server in
            let target = server.target(username: TestUser.name)
            let wrong = "not-the-password-\(Int.random(in: 1000...9999))"
            let error = await #expect(throws: SSHError.self) {
                try await inSession(target) { session in
                    _ = try session.connect()
                    try session.authenticate(.password(wrong))
                }
            }
            #expect(error?.code == .authenticationFailed)
            #expect(error?.message.contains("password") == true)
            #expect(error.map { !"\($0)".contains(wrong) } == true)
        }
    }

    @Test("keyboard-interactive only (sshd with PAM, AuthenticationMethods keyboard-interactive)")
    func keyboardInteractiveOnly() async throws {
        let password = try TestUser.password()
        var options = SSHDOptions()
        options.usePAM = true
        options.extraConfig = [
            "PasswordAuthentication no", "KbdInteractiveAuthentication yes",
            "AuthenticationMethods keyboard-interactive",
        ]
        try await withSSHServer(options) { server in
            let target = server.target(username: TestUser.name)
            let marker = try await inSession(target) { session in
                try session.loginAndEcho(.password(password))
            }
            #expect(marker.hasPrefix("hello-"))
        }
    }

    @Test("credentials never show their secret in descriptions")
    func redaction() {
        #expect("\(SSHAuth.password("s3cret"))" == "password(<redacted>)")
        #expect(!String(reflecting: SSHAuth.privateKey(path: "/k", passphrase: "s3cret")).contains("s3cret"))
    }
}
