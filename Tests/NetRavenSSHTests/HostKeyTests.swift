import NetRavenCore
import Foundation
import NetRavenSSH
import Testing

@Suite("Host key policies")
struct HostKeyTests {
    @Test("tofu: learn on first connect, known on second, changed after the server is re-keyed")
    func trustOnFirstUse() async throws {
        try await withSSHServer { server in
            let target = server.target(policy: .tofu)
            let first = try await inSession(target) { try $0.connect() }
            #expect(first.outcome == .learned)
            #expect(first.fingerprint.hasPrefix("SHA256:"))
            #expect(first.keyType == "ssh-ed25519")
            let file = try String(contentsOfFile: target.knownHostsPath, encoding: .utf8)
            #expect(file.contains("ssh-ed25519"))
            #expect(file.contains("[127.0.0.1]:\(server.port)"))

            let second = try await inSession(target) { try $0.connect() }
            #expect(second.outcome == .known)
            #expect(second.fingerprint == first.fingerprint)

            try server.regenerateHostKey()
            try await server.restart()
            let error = await #expect(throws: SSHError.self) {
                try await inSession(target) { try $0.connect() }
            }
            #expect(error?.code == .hostKeyChanged)
            #expect(error?.message.contains("SHA256:") == true)
            #expect(error?.message.contains(first.fingerprint) == false)  // it names the NEW key
        }
    }

    @Test("strict: an empty known_hosts refuses the host")
    func strictUnknown() async throws {
        try await withSSHServer { server in
            let target = server.target(policy: .strict)
            let error = await #expect(throws: SSHError.self) {
                try await inSession(target) { try $0.connect() }
            }
            #expect(error?.code == .hostKeyUnknown)
            #expect(!FileManager.default.fileExists(atPath: target.knownHostsPath))
        }
    }

    @Test("strict: a key learned before is accepted")
    func strictKnown() async throws {
        try await withSSHServer { server in
            _ = try await inSession(server.target(policy: .tofu)) { try $0.connect() }
            let verdict = try await inSession(server.target(policy: .strict)) { try $0.connect() }
            #expect(verdict.outcome == .known)
        }
    }

    @Test("off: connects without reading or writing known_hosts")
    func off() async throws {
        try await withSSHServer { server in
            let target = server.target(policy: .off)
            let verdict = try await inSession(target) { try $0.connect() }
            #expect(verdict.outcome == .unchecked)
            #expect(verdict.fingerprint.hasPrefix("SHA256:"))
            #expect(!FileManager.default.fileExists(atPath: target.knownHostsPath))
        }
    }
}
