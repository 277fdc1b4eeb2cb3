import NetRavenCore
import NetRavenSSH
import Testing

@Suite("Legacy algorithms")
struct LegacyAlgorithmTests {
    /// An sshd that only speaks what an old Cisco box speaks.
    static var legacyOnly: SSHDOptions {
        var options = SSHDOptions()
        options.hostKeyType = "rsa"
        options.extraConfig = [
            "KexAlgorithms diffie-hellman-group14-sha1",
            "HostKeyAlgorithms ssh-rsa",
            "PubkeyAcceptedAlgorithms +ssh-rsa",
            "Ciphers aes128-cbc",
            "MACs hmac-sha1",
        ]
        return options
    }

    @Test("modern lists cannot negotiate with a legacy-only server, and say why")
    func modernFails() async throws {
        try await withSSHServer(Self.legacyOnly) { server in
            let error = await #expect(throws: SSHError.self) {
                try await inSession(server.target(algorithms: .modern)) { try $0.connect() }
            }
            #expect(error?.code == .protocolError)
            #expect(error?.message.contains("no match") == true)
        }
    }

    @Test("modernPlusLegacy connects, checks the ssh-rsa host key and authenticates")
    func legacyWorks() async throws {
        try await withSSHServer(Self.legacyOnly) { server in
            let key = server.clientKeyPath
            let (verdict, marker) = try await inSession(server.target(algorithms: .modernPlusLegacy)) { session in
                let verdict = try session.connect()
                try session.authenticate(.privateKey(path: key, passphrase: nil))
                try session.openShell()
                return (verdict, try session.echoMarker())
            }
            #expect(verdict.outcome == .learned)
            #expect(verdict.keyType == "ssh-rsa")
            #expect(marker.hasPrefix("hello-"))
        }
    }
}
