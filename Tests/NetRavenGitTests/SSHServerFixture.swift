import Foundation
import NetRavenTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A private OpenSSH server on 127.0.0.1 for push tests: its own host key, config and authorized_keys in `directory`,
/// public-key authentication only, logging in as the current user (root in CI).
final class SSHServerFixture {
    let directory: String
    let clientKey: String
    private(set) var port: Int = 0
    private var process: SpawnedProcess?
    private let user: String

    /// Prepares keys and config in `directory`; call `start(hostKeyName:)` to run sshd.
    init(directory: String) throws {
        self.directory = directory
        self.user = ProcessInfo.processInfo.environment["USER"] ?? "root"
        clientKey = "\(directory)/client_ed25519"
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        // ed25519 for host and client keys: Debian's libssh2 1.10 offers only ssh-rsa (SHA-1) for RSA, which
        // OpenSSH 9.2 refuses, while ed25519 works in both roles.
        try runProcess("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", clientKey])
        try FileManager.default.copyItem(atPath: "\(clientKey).pub", toPath: "\(directory)/authorized_keys")
    }

    var userName: String { user }

    /// URL of a repository path on this server.
    func url(for path: String) -> String { "ssh://\(user)@127.0.0.1:\(port)\(path)" }

    /// Path of the host key named `name` (created on first use).
    func hostKeyPath(_ name: String) throws -> String {
        let path = "\(directory)/host_\(name)"
        if !FileManager.default.fileExists(atPath: path) {
            try runProcess("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path])
        }
        return path
    }

    /// `SHA256:...` fingerprint of a host key as OpenSSH prints it.
    func fingerprint(ofHostKey name: String) throws -> String {
        let output = try runProcess("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", "\(try hostKeyPath(name)).pub"])
        return String(output.stdout.split(separator: " ")[1])
    }

    /// Starts sshd with host key `name` on a free port (keeping the previous port when restarting if possible).
    func start(hostKeyName name: String) async throws {
        let hostKey = try hostKeyPath(name)
        var lastError: (any Error)?
        for attempt in 0..<5 {
            let candidate = (attempt == 0 && port != 0) ? port : try freeLoopbackPort()
            let config = """
                Port \(candidate)
                ListenAddress 127.0.0.1
                HostKey \(hostKey)
                PidFile \(directory)/sshd.pid
                AuthorizedKeysFile \(directory)/authorized_keys
                StrictModes no
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                PubkeyAuthentication yes
                PermitRootLogin prohibit-password
                UsePAM no
                LogLevel VERBOSE

                """
            let configPath = "\(directory)/sshd_config"
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
            let logPath = "\(directory)/sshd-\(candidate)-\(attempt).log"
            // Not Foundation.Process: sshd closes the fds Foundation uses to watch its children, after which
            // Foundation blocks in wait4() on sshd and never reaps any later child (git, ssh-keygen) again.
            let process = try SpawnedProcess(
                "/usr/sbin/sshd", ["-f", configPath, "-D", "-e"], stderrPath: logPath)
            if await Self.waitUntilListening(port: candidate, process: process) {
                self.process = process
                self.port = candidate
                return
            }
            process.stop()
            lastError = FixtureError(
                "sshd did not start on port \(candidate): "
                    + ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""))
        }
        throw lastError ?? FixtureError("sshd did not start")
    }

    /// Stops sshd (idempotent).
    func stop() {
        process?.stop()
        process = nil
    }

    deinit { stop() }


    /// Polls until something accepts TCP connections on the port, or the process died, for up to 5 s.
    private static func waitUntilListening(port: Int, process: SpawnedProcess) async -> Bool {
        for _ in 0..<100 {
            guard process.isRunning else { return false }
            if canConnect(port: port) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    private static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A child started with posix_spawn, stderr to a file; stopped with SIGTERM and reaped.
final class SpawnedProcess {
    let pid: pid_t
    private var exited = false

    init(_ executable: String, _ arguments: [String], stderrPath: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] =
            ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard result == 0 else { throw FixtureError("posix_spawn \(executable) failed: \(result)") }
        self.pid = pid
    }

    var isRunning: Bool {
        guard !exited else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { exited = true }
        return !exited
    }

    func stop() {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        exited = true
    }

    deinit { stop() }
}
