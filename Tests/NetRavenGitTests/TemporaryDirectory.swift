import Foundation

/// Runs `body` with a fresh directory under the system temp dir and removes it afterwards, also when `body` throws.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("netraven-git-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer {
        // NETRAVEN_KEEP_TEST_DIRS=1 keeps them for debugging (sshd logs, repositories).
        if ProcessInfo.processInfo.environment["NETRAVEN_KEEP_TEST_DIRS"] == nil {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
    return try await body(path)
}
