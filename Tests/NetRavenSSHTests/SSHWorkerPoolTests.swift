import NetRavenCore
import Glibc
import NetRavenSSH
import Testing

@Suite("SSHWorkerPool")
struct SSHWorkerPoolTests {
    @Test("three sessions on two threads all succeed, each confined to one thread")
    func threeSessionsOnTwoThreads() async throws {
        try await withSSHServer { server in
            let pool = SSHWorkerPool(maxConcurrentSessions: 2)
            let target = server.target()
            let key = server.clientKeyPath
            let results = try await withThrowingTaskGroup(of: (String, UInt).self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        try await inSession(target, pool: pool) { session in
                            (try session.loginAndEcho(.privateKey(path: key, passphrase: nil)), UInt(pthread_self()))
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            try await pool.shutdown()
            #expect(results.count == 3)
            #expect(results.allSatisfy { $0.0.hasPrefix("hello-") })
            #expect(Set(results.map(\.1)).count <= 2)
        }
    }

    @Test("after shutdown, run throws instead of hanging")
    func runAfterShutdown() async throws {
        let pool = SSHWorkerPool(maxConcurrentSessions: 1)
        #expect(try await pool.run { 42 } == 42)
        try await pool.shutdown()
        await #expect(throws: (any Error).self) {
            try await pool.run { 1 }
        }
    }
}
