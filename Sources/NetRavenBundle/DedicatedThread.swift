import Foundation

/// Runs blocking work (zlib, file I/O, fsync) on a thread of its own and awaits it, so it never occupies one of
/// the cooperative pool's threads (two on a two-core box).
func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result(catching: body)) }
        thread.name = "netraven-bundle"
        thread.start()
    }
}
