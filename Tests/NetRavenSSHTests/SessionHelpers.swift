import NetRavenCore
import Foundation
import NetRavenSSH

/// Dedicated threads for the tests' libssh sessions (never the cooperative pool); lives for the test run.
enum TestPool {
    static let shared = SSHWorkerPool(maxConcurrentSessions: 4)
}

extension SSHDServer {
    /// A target for this server; by default the current user, trust on first use, modern algorithms.
    func target(
        username: String? = nil, policy: HostKeyPolicy = .tofu, algorithms: SSHAlgorithms = .modern,
        knownHostsPath: String? = nil
    ) -> SSHTarget {
        SSHTarget(
            host: "127.0.0.1", port: port, username: username ?? self.username, connectTimeout: .seconds(10),
            knownHostsPath: knownHostsPath ?? self.knownHostsPath, hostKeyPolicy: policy, algorithms: algorithms
        )
    }
}

/// Creates a session for `target`, runs `body` with it on a pool thread, and closes it.
func inSession<T: Sendable>(
    _ target: SSHTarget, pool: SSHWorkerPool = TestPool.shared,
    _ body: @escaping @Sendable (SSHSession) throws -> T
) async throws -> T {
    try await pool.run {
        let session = try SSHSession(target: target)
        defer { session.close() }
        return try body(session)
    }
}

extension SSHSession {
    /// Reads until the accumulated output matches `pattern`; throws if `limit` passes first. The limit
    /// only bounds a hung test, it is not an assertion about speed.
    func readUntil(_ pattern: String, limit: Duration = .seconds(15)) throws -> String {
        let regex = try Regex(pattern)
        let deadline = ContinuousClock.now + limit
        var output = ""
        while ContinuousClock.now < deadline {
            output += String(decoding: try read(timeout: .milliseconds(500)), as: UTF8.self)
            if output.contains(regex) { return output }
        }
        throw FixtureError("no match for /\(pattern)/ within \(limit); got: \(output.debugDescription)")
    }

    /// Runs `echo hello-$RANDOM` in the shell and returns the expanded marker (`hello-<digits>`). The typed
    /// command echoes back as `hello-$RANDOM`, so only the shell's output matches.
    func echoMarker() throws -> String {
        try write("echo hello-$RANDOM\n")
        let output = try readUntil("hello-[0-9]+")
        let match = try #/hello-[0-9]+/#.firstMatch(in: output)
        return match.map { String($0.output) } ?? ""
    }

    /// connect + authenticate + shell + echo, the happy path most tests need.
    func loginAndEcho(_ auth: SSHAuth) throws -> String {
        _ = try connect()
        try authenticate(auth)
        try openShell()
        return try echoMarker()
    }
}
