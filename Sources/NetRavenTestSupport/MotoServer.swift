import Foundation
import Synchronization

/// A private `moto_server` (the local S3/IAM API, PyPI `moto[server]` in `.venv`) on a loopback port.
///
/// Started with `posix_spawn`; ready when it prints "Running on" (a thread drains its output all along, so a
/// full pipe never blocks it). `stop()` kills and reaps it; `deinit` does too, also when a test fails.
/// With `noAuthActions` set, moto verifies signatures and IAM policies after that many requests — the ones a
/// test needs to create an IAM user and key.
public final class MotoServer: Sendable {
    /// The port it listens on.
    public let port: Int
    /// `http://127.0.0.1:<port>`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }
    private let pid: Mutex<Int32?>
    private let output: OutputLog

    /// The venv's `moto_server`.
    public static var executable: String { PackagePaths.root + "/.venv/bin/moto_server" }

    /// Starts a server; retries on another port when the one picked was taken meanwhile.
    /// - Parameter noAuthActions: requests served before signature checking starts (nil = never checks).
    public static func start(noAuthActions: Int? = nil) async throws -> MotoServer {
        var lastError: (any Error)?
        for _ in 0..<3 {
            do {
                return try await MotoServer(port: try freeLoopbackPort(), noAuthActions: noAuthActions)
            } catch {
                lastError = error
            }
        }
        throw lastError ?? SocketError(description: "moto_server did not start")
    }

    /// Starts a server on `port` (an outage test brings the endpoint back where the client expects it).
    public static func start(port: Int, noAuthActions: Int? = nil) async throws -> MotoServer {
        try await MotoServer(port: port, noAuthActions: noAuthActions)
    }

    private init(port: Int, noAuthActions: Int?) async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable) else {
            throw SocketError(description: "\(Self.executable) is missing: run scripts/bootstrap")
        }
        self.port = port
        output = OutputLog()
        var environment = ProcessInfo.processInfo.environment
        if let noAuthActions { environment["INITIAL_NO_AUTH_ACTION_COUNT"] = String(noAuthActions) }
        environment["PYTHONUNBUFFERED"] = "1"
        let (child, readEnd) = try Self.spawn(
            [Self.executable, "-H", "127.0.0.1", "-p", String(port)], environment: environment)
        pid = Mutex(child)
        let output = self.output
        let reader = Thread { output.drain(readEnd) }
        reader.name = "moto_server output"
        reader.start()
        do {
            try await output.waitUntilReady(deadline: .seconds(60))
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    /// Kills and reaps the server (idempotent).
    public func stop() {
        if let child = pid.withLock({ pid in
            defer { pid = nil }
            return pid
        }) {
            stopServer(child)
        }
    }

    /// What the server has printed so far (for failure messages).
    public var log: String { output.text }

    private static func spawn(_ arguments: [String], environment: [String: String]) throws -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SocketError(description: "pipe() failed: errno \(errno)") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, arguments[0], &actions, nil, argv, envp)
        close(fds[1])
        guard result == 0 else {
            close(fds[0])
            throw SocketError(description: "posix_spawn \(arguments[0]) failed: \(String(cString: strerror(result)))")
        }
        return (child, fds[0])
    }
}

/// The server's output, and the readiness signal its reader thread gives.
private final class OutputLog: Sendable {
    private struct State {
        var text = ""
        var ready = false
        var ended = false
        var waiter: CheckedContinuation<Void, any Error>?
    }
    private let state = Mutex(State())

    var text: String { state.withLock { $0.text } }

    /// Reads `fd` until the server closes it; runs on its own thread.
    func drain(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            let chunk = String(decoding: buffer[0..<count], as: UTF8.self)
            state.withLock { state in
                // Keep the start and the recent end; moto logs every request.
                state.text += chunk
                if state.text.count > 64_000 { state.text = String(state.text.suffix(32_000)) }
                if !state.ready && state.text.contains("Running on") {
                    state.ready = true
                    state.waiter?.resume()
                    state.waiter = nil
                }
            }
        }
        close(fd)
        state.withLock { state in
            state.ended = true
            state.waiter?.resume(throwing: SocketError(description: "moto_server exited: \(state.text)"))
            state.waiter = nil
        }
    }

    /// Returns once the server listens; throws when it exits first or `deadline` passes.
    func waitUntilReady(deadline: Duration) async throws {
        let timeout = Task {
            try await Task.sleep(for: deadline)
            self.fail("moto_server printed no 'Running on' within \(deadline)")
        }
        defer { timeout.cancel() }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            state.withLock { state in
                if state.ready {
                    continuation.resume()
                } else if state.ended {
                    continuation.resume(throwing: SocketError(description: "moto_server exited: \(state.text)"))
                } else {
                    state.waiter = continuation
                }
            }
        }
    }

    private func fail(_ message: String) {
        state.withLock { state in
            state.waiter?.resume(throwing: SocketError(description: "\(message): \(state.text)"))
            state.waiter = nil
        }
    }
}
