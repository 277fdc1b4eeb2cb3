import Foundation
import Glibc
import NIOPosix
import NetRavenTestSupport

/// Runs a short-lived tool (openssl) to completion with `posix_spawn`, output discarded; the blocking `waitpid`
/// runs on NIO's thread pool, never the cooperative pool. The child is always reaped.
enum ProcessRun {
    static func run(_ path: String, _ arguments: [String]) async throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/bin:/bin"), nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard rc == 0 else { throw PeerError(description: "cannot start \(path): \(String(cString: strerror(rc)))") }
        let child = pid
        return try await NIOThreadPool.singleton.runIfActive { () -> Int32 in
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
            return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        }
    }
}
