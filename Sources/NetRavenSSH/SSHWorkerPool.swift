internal import NIOPosix

/// Dedicated threads for blocking libssh work, so it never runs on Swift's cooperative pool.
///
/// Run a device's whole session (create → connect → authenticate → commands → close) inside one `run`
/// closure: the closure runs start to finish on one pool thread, which is what `SSHSession`'s thread
/// confinement needs. At most `maxConcurrentSessions` closures run at once; further ones wait in a queue.
/// Call `shutdown()` when done; running closures finish first.
public final class SSHWorkerPool: Sendable {
    private let threads: NIOThreadPool

    /// Starts `maxConcurrentSessions` threads (at least one).
    public init(maxConcurrentSessions: Int) {
        threads = NIOThreadPool(numberOfThreads: max(1, maxConcurrentSessions))
        threads.start()
    }

    /// Runs `body` on a pool thread and returns its result. Throws what `body` throws, or NIO's
    /// `NIOThreadPoolError.ThreadPoolInactive` after `shutdown()`. Cancelling the calling task does not
    /// interrupt a running body: bound it with the session's own timeouts.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await threads.runIfActive(body)
    }

    /// Stops the threads once the running and queued closures have finished.
    public func shutdown() async throws {
        try await threads.shutdownGracefully()
    }
}
