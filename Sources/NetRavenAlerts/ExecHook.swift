import Foundation
import Glibc
import NIOPosix
import NetRavenCore
import Synchronization

/// Runs an exec-hook destination: the command (argv, no shell) with `NETRAVEN_*` variables and the alert JSON on
/// stdin, in its own process group, killed with that group after the timeout, always reaped.
///
/// Spawning and waiting block, so both run on the dispatcher's own threads, never the cooperative pool.
struct ExecHook {
    let settings: AlertDestination.ExecSettings
    let destination: String
    let threads: NIOThreadPool

    /// How much of the command's output an error message quotes.
    static let outputTail = 2000

    func deliver(_ batch: AlertBatch) async throws {
        let input = try AlertJSON.encode(batch)
        let environment = Self.environment(for: batch, destination: destination, extra: settings.environment)
        let command = settings.command
        let timeout = settings.timeout
        let name = destination
        try await threads.runIfActive {
            try Self.run(command, environment: environment, input: input, timeout: timeout, destination: name)
        }
    }

    /// The variables the command sees: a clean environment (the daemon's may hold secrets), PATH, LANG, the
    /// alert's fields and the configured extras.
    static func environment(for batch: AlertBatch, destination: String, extra: [String: String]) -> [String: String] {
        var environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
            "NETRAVEN_DESTINATION": destination,
            "NETRAVEN_TYPE": batch.single == nil ? "digest" : "alert",
            "NETRAVEN_COUNT": "\(batch.totalCount)",
            "NETRAVEN_SEVERITY": batch.severity.rawValue,
            "NETRAVEN_TITLE": batch.title,
        ]
        var devices = batch.alerts.map(\.device)
        for device in batch.digest?.devices ?? [] where !devices.contains(device) { devices.append(device) }
        // One argument or variable may hold at most 128 KiB on Linux.
        environment["NETRAVEN_DEVICES"] = String(devices.joined(separator: " ").prefix(100_000))
        if let alert = batch.single {
            environment["NETRAVEN_KIND"] = alert.kind.rawValue
            environment["NETRAVEN_DEVICE"] = alert.device
            environment["NETRAVEN_GROUP"] = alert.group
            environment["NETRAVEN_TAGS"] = alert.tags.joined(separator: ",")
            environment["NETRAVEN_SUMMARY"] = alert.summary
            environment["NETRAVEN_USERS"] = alert.users.joined(separator: ",")
            environment["NETRAVEN_REASONS"] = alert.reasons.map(\.code).joined(separator: ",")
            environment["NETRAVEN_TIME"] = AlertText.timestamp(alert.time)
            if let verdict = alert.verdict { environment["NETRAVEN_VERDICT"] = verdict.kind.rawValue }
            if let failure = alert.failure { environment["NETRAVEN_FAILURE"] = failure.rawValue }
            if let commit = alert.commit { environment["NETRAVEN_COMMIT"] = commit }
        }
        environment.merge(extra) { _, configured in configured }
        return environment
    }

    /// Spawns, feeds, waits (killing at the deadline) and reaps; runs on a pool thread.
    static func run(
        _ command: [String], environment: [String: String], input: [UInt8], timeout: Duration, destination: String
    ) throws {
        guard let program = command.first, !program.isEmpty else {
            throw AlertError(.invalidConfiguration, destination: destination, "the command is empty")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "netraven-exec-\(UUID().uuidString)")
        // stdin and output go through unlinked files: no pipe can fill up while the command is not reading.
        let inputFD = open(scratch.path + ".in", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        let outputFD = open(scratch.path + ".out", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        unlink(scratch.path + ".in")
        unlink(scratch.path + ".out")
        defer {
            if inputFD >= 0 { close(inputFD) }
            if outputFD >= 0 { close(outputFD) }
        }
        guard inputFD >= 0, outputFD >= 0 else {
            throw AlertError(.commandFailed, destination: destination, "cannot create scratch files: errno \(errno)")
        }
        let written = input.withUnsafeBytes { write(inputFD, $0.baseAddress, $0.count) }
        guard written == input.count, lseek(inputFD, 0, SEEK_SET) == 0 else {
            throw AlertError(.commandFailed, destination: destination, "cannot write the command's input")
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputFD, 0)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 1)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Own process group (so the timeout kills what it started too), default signal dispositions (the daemon
        // ignores SIGPIPE), nothing blocked.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] =
            environment.sorted { $0.key < $1.key }.map { strdup("\($0)=\($1)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, program, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw AlertError(
                .invalidConfiguration, destination: destination,
                "cannot run \(program): \(String(cString: strerror(spawned)))")
        }

        let (status, timedOut) = wait(for: pid, timeout: timeout)
        let tail = outputTail(outputFD)
        if timedOut {
            throw AlertError(
                .commandTimedOut, destination: destination,
                "\(program) ran longer than \(timeout) and was killed\(tail)")
        }
        let exitedNormally = (status & 0x7f) == 0
        let code = (status >> 8) & 0xff
        guard exitedNormally && code == 0 else {
            let how = exitedNormally ? "exited \(code)" : "was killed by signal \(status & 0x7f)"
            throw AlertError(.commandFailed, destination: destination, "\(program) \(how)\(tail)")
        }
    }

    /// Waits for `pid`; at the deadline kills its process group. Always reaps.
    ///
    /// This thread blocks in `waitid` until the child exits; a watchdog thread kills the group at the deadline. The
    /// child is reaped only after `exited` is set under the lock, so the watchdog never signals a reused pid.
    private static func wait(for pid: pid_t, timeout: Duration) -> (status: Int32, timedOut: Bool) {
        let state = Mutex((exited: false, timedOut: false))
        let finished = DispatchSemaphore(value: 0)
        let watchdog = Thread {
            let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
            guard finished.wait(timeout: .now() + seconds) == .timedOut else { return }
            state.withLock { state in
                guard !state.exited else { return }
                state.timedOut = true
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
            }
        }
        watchdog.name = "netraven-exec-watchdog"
        watchdog.start()
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
        let timedOut = state.withLock { state in
            state.exited = true
            return state.timedOut
        }
        finished.signal()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status, timedOut)
    }

    /// The last `outputTail` bytes the command wrote, as ": ..." for messages; empty when it wrote nothing.
    private static func outputTail(_ fd: Int32) -> String {
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0 else { return "" }
        let start = max(0, Int(size) - outputTail)
        var buffer = [UInt8](repeating: 0, count: Int(size) - start)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start)) }
        guard count > 0 else { return "" }
        let text = String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "" : ": \(text)"
    }
}
