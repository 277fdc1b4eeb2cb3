import Foundation
import Glibc
import NetRavenCore
import NetRavenTestSupport
import Testing

/// How a test's private sshd is configured.
struct SSHDOptions: Sendable {
    /// `ssh-keygen -t` type of the host key.
    var hostKeyType = "ed25519"
    /// Extra `sshd_config` lines, appended after the defaults (later lines do not override earlier ones in
    /// sshd_config: first value wins, so put overrides here only for keys the defaults do not set).
    var extraConfig: [String] = []
    /// `UsePAM` value; PAM is needed for sshd to offer keyboard-interactive on Linux.
    var usePAM = false
}

/// A private OpenSSH `sshd` on 127.0.0.1 and a free port, with its own host key, client keys and
/// authorized_keys in a temporary directory. Start it with `withSSHServer`, which always stops it.
///
/// `@unchecked Sendable`: the mutable process handle is guarded by `lock`; everything else is immutable.
final class SSHDServer: @unchecked Sendable {
    /// The temporary directory holding config, keys and logs.
    let directory: String
    /// The TCP port sshd listens on (kept across `restart`).
    private(set) var port: Int = 0
    let options: SSHDOptions
    /// The user the tests log in as with keys: whoever runs the tests.
    let username: String
    /// Unencrypted ed25519 client key, authorized.
    var clientKeyPath: String { directory + "/client_ed25519" }
    /// Passphrase-protected ed25519 client key, authorized.
    var encryptedClientKeyPath: String { directory + "/client_encrypted" }
    /// The passphrase of `encryptedClientKeyPath`.
    let passphrase = "correct-horse-\(UInt32.random(in: 0...UInt32.max))"
    /// An ed25519 key that is NOT in authorized_keys.
    var strangerKeyPath: String { directory + "/client_stranger" }
    /// An empty known_hosts path for the client side (the file does not exist yet).
    var knownHostsPath: String { directory + "/known_hosts" }

    private var hostKeyPath: String { directory + "/host_key" }
    private var configPath: String { directory + "/sshd_config" }
    private let lock = NSLock()
    /// sshd's pid and the signal fired when its stderr closes (it exited).
    private var running: (pid: Int32, exited: OneShotSignal)?
    private var log = SSHDLog()

    init(options: SSHDOptions) throws {
        self.options = options
        self.username = try currentUserName()
        let directory = FileManager.default.temporaryDirectory.path + "/netraven-sshd-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        self.directory = directory
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)

        try generateHostKey()
        try runTool("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", clientKeyPath])
        try runTool("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", passphrase, "-f", encryptedClientKeyPath])
        try runTool("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", strangerKeyPath])
        let authorized = try [clientKeyPath, encryptedClientKeyPath]
            .map { try String(contentsOfFile: $0 + ".pub", encoding: .utf8) }.joined()
        try authorized.write(toFile: directory + "/authorized_keys", atomically: true, encoding: .utf8)
    }

    /// Replaces the host key with a fresh one (same type), so clients see a changed key.
    func regenerateHostKey() throws {
        try? FileManager.default.removeItem(atPath: hostKeyPath)
        try? FileManager.default.removeItem(atPath: hostKeyPath + ".pub")
        try generateHostKey()
    }

    /// Starts sshd on a free port, retrying with another port if the bind loses a race.
    func start() async throws {
        var lastFailure = ""
        for _ in 0..<5 {
            let port = try freeLoopbackPort()
            if try await launch(port: port) { return }
            lastFailure = log.text
        }
        throw FixtureError("sshd did not start after 5 ports; last log:\n\(lastFailure)")
    }

    /// Stops sshd and starts it again on the same port (e.g. after `regenerateHostKey`).
    func restart() async throws {
        await stop()
        for _ in 0..<5 {
            if try await launch(port: port) { return }
        }
        throw FixtureError("sshd did not restart on port \(port); log:\n\(log.text)")
    }

    /// Sends SIGTERM and waits for sshd to exit (its stderr pipe reaching EOF). Safe to call twice.
    ///
    /// Not `Process.terminate`/`waitUntilExit`: on Linux, Foundation delivers the exit to the run loop of the
    /// thread that launched the process, a cooperative-pool thread whose run loop never runs, so
    /// `waitUntilExit` elsewhere can hang.
    func stop() async {
        let current: (pid: Int32, exited: OneShotSignal)? = lock.withLock {
            defer { running = nil }
            return running
        }
        guard let current else { return }
        kill(current.pid, SIGTERM)
        await current.exited.wait()
    }

    /// Everything sshd wrote to stderr so far, for failure messages.
    var logText: String { log.text }

    /// Removes the temporary directory.
    func removeFiles() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Returns true once sshd reports listening; false if it exited first (bind failure).
    private func launch(port: Int) async throws -> Bool {
        try writeConfig(port: port)
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { Glibc.close(devNull) }
        let (logRead, logWrite) = try Subprocess.pipe()
        let pid: pid_t
        do {
            pid = try Subprocess.spawn(
                "/usr/sbin/sshd", ["-D", "-e", "-f", configPath], stdinFD: devNull, outputFD: logWrite)
        } catch {
            Glibc.close(logRead)
            Glibc.close(logWrite)
            throw error
        }
        Glibc.close(logWrite)
        let log = SSHDLog()
        self.log = log
        let listening = OneShotSignal()
        let exited = OneShotSignal()
        // A plain thread owns sshd's stderr and reaps it: blocking reads must not sit on the cooperative pool.
        Thread.detachNewThread {
            Subprocess.drain(logRead) { text in
                log.append(text)
                if log.text.contains("Server listening on") { listening.fire() }
            }
            Subprocess.wait(pid)
            exited.fire()
            listening.fire()
        }
        lock.withLock {
            self.running = (pid, exited)
            self.port = port
        }
        await listening.wait()
        if log.text.contains("Server listening on") { return true }
        await stop()
        return false
    }

    private func writeConfig(port: Int) throws {
        var lines = [
            "ListenAddress 127.0.0.1",
            "Port \(port)",
            "HostKey \(hostKeyPath)",
            "PidFile \(directory)/sshd.pid",
            "StrictModes no",
            "AuthorizedKeysFile \(directory)/authorized_keys",
            "UsePAM \(options.usePAM ? "yes" : "no")",
            "PermitRootLogin yes",
            "PrintMotd no",
            "PrintLastLog no",
            "LogLevel INFO",
        ]
        lines += options.extraConfig
        if !options.extraConfig.contains(where: { $0.hasPrefix("PasswordAuthentication") }) {
            lines.append("PasswordAuthentication yes")
        }
        if !options.extraConfig.contains(where: { $0.hasPrefix("KbdInteractiveAuthentication") }) {
            lines.append("KbdInteractiveAuthentication yes")
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    private func generateHostKey() throws {
        var arguments = ["-q", "-t", options.hostKeyType, "-N", "", "-f", hostKeyPath]
        if options.hostKeyType == "rsa" { arguments += ["-b", "2048"] }
        try runTool("/usr/bin/ssh-keygen", arguments)
    }
}

/// Starts a private sshd, runs `body`, and stops sshd and removes its files whether `body` succeeds or throws.
func withSSHServer<T>(
    _ options: SSHDOptions = SSHDOptions(), _ body: (SSHDServer) async throws -> T
) async throws -> T {
    let server = try SSHDServer(options: options)
    do {
        try await server.start()
        let result = try await body(server)
        await server.stop()
        server.removeFiles()
        return result
    } catch {
        await server.stop()
        // Keep the directory (config, sshd log via the error) out of the way but report sshd's view.
        let log = server.logText
        server.removeFiles()
        throw FixtureError.wrapping(error, sshdLog: log)
    }
}

/// A test-fixture failure with sshd's log attached.
struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }

    /// Passes `SSHError` and other errors through unchanged (tests check their codes), except that fixture
    /// errors keep their text; sshd's log is only attached to fixture errors.
    static func wrapping(_ error: any Error, sshdLog: String) -> any Error {
        if let fixture = error as? FixtureError {
            return FixtureError(fixture.description + "\nsshd log:\n" + sshdLog)
        }
        return error
    }
}

/// Fires once; `wait()` returns immediately after that.
final class OneShotSignal: @unchecked Sendable {  // state guarded by `lock`
    private let lock = NSLock()
    private var fired = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func fire() {
        let toResume: [CheckedContinuation<Void, Never>] = lock.withLock {
            fired = true
            defer { waiters = [] }
            return waiters
        }
        toResume.forEach { $0.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow: Bool = lock.withLock {
                if fired { return true }
                waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}

/// sshd's stderr, appended from the pipe's handler thread.
final class SSHDLog: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""
    func append(_ text: String) { lock.withLock { buffer += text } }
    var text: String { lock.withLock { buffer } }
}

func currentUserName() throws -> String {
    guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else {
        throw FixtureError("cannot find the current user's name")
    }
    return String(cString: name)
}
