import Foundation
import NetRavenCore
import NetRavenSSH
import NetRavenTestSupport
import Testing

@Suite("Unreachable, silent and vanishing peers")
struct ConnectionFailureTests {
    static func target(port: Int) -> SSHTarget {
        SSHTarget(
            host: "127.0.0.1", port: port, username: "nobody", connectTimeout: .seconds(1),
            knownHostsPath: "/nonexistent/known_hosts", hostKeyPolicy: .strict, algorithms: .modern
        )
    }

    @Test("closed port: connect and the TCP pre-check both say unreachable")
    func closedPort() async throws {
        // A socket bound but not listening holds the port for the whole test: connections are refused, and no
        // server started by a parallel test can take the port in between (a merely "free" port can be).
        let closed = try BoundClosedPort()
        defer { closed.close() }
        let port = closed.port
        let error = await #expect(throws: SSHError.self) {
            try await inSession(Self.target(port: port)) { try $0.connect() }
        }
        #expect(error?.code == .unreachable)

        let precheck = await #expect(throws: SSHError.self) {
            try await TestPool.shared.run { try checkReachable(host: "127.0.0.1", port: port, timeout: .seconds(1)) }
        }
        #expect(precheck?.code == .unreachable)
    }

    @Test("a listener that never speaks SSH: connect times out")
    func silentListener() async throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let target = Self.target(port: listener.port)
        let error = await #expect(throws: SSHError.self) {
            try await inSession(target) { try $0.connect() }
        }
        #expect(error?.code == .timeout)

        // TCP itself works there, so the pre-check passes: the hang is above TCP.
        try await TestPool.shared.run { try checkReachable(host: "127.0.0.1", port: target.port, timeout: .seconds(1)) }
    }

    @Test("unresolvable host name is unreachable")
    func unresolvable() async throws {
        let error = await #expect(throws: SSHError.self) {
            try await TestPool.shared.run {
                try checkReachable(host: "no-such-host.invalid", port: 22, timeout: .seconds(1))
            }
        }
        #expect(error?.code == .unreachable)
    }

    @Test("shell exits on the server: read reports connectionLost")
    func serverClosesShell() async throws {
        try await withSSHServer { server in
            let key = server.clientKeyPath
            let error = await #expect(throws: SSHError.self) {
                try await inSession(server.target()) { session in
                    _ = try session.loginAndEcho(.privateKey(path: key, passphrase: nil))
                    try session.write("exit\n")
                    while true { _ = try session.read(timeout: .seconds(1)) }
                }
            }
            #expect(error?.code == .connectionLost)
        }
    }

    @Test("using a session before connect is an error, not a crash; close is idempotent")
    func misuse() async throws {
        let error = await #expect(throws: SSHError.self) {
            try await inSession(Self.target(port: 1)) { session in
                session.close()
                session.close()
                _ = try session.read(timeout: .zero)
            }
        }
        #expect(error?.code == .connectionLost)
    }
}
