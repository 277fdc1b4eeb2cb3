import NetRavenTestSupport

/// Runs `body` with a fresh directory under the system temp dir and removes it afterwards, also when `body` throws
/// (`NETRAVEN_KEEP_TEST_DIRS=1` keeps it: sshd logs, repositories).
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let directory = try TemporaryDirectory(prefix: "netraven-git")
    defer { withExtendedLifetime(directory) {} }
    return try await body(directory.path)
}
