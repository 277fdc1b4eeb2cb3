import NetRavenCore
import Foundation

/// The system account for password tests: OpenSSH checks real users, so the tests need one with a known
/// password. As root (CI) it is created if missing and its password (re)set; otherwise it must exist and
/// `NETRAVEN_TEST_PASSWORD` must hold its password, or the test fails saying so (never skips silently).
/// Its login shell must be bash.
enum TestUser {
    static let name = "netraven-test"

    /// The user's password, or a clear error.
    static func password() throws -> String {
        try prepared.get()
    }

    /// Done once per test process: tests run in parallel and must not race on useradd/chpasswd.
    private static let prepared: Result<String, FixtureError> = {
        do {
            return .success(try prepare())
        } catch let error as FixtureError {
            return .failure(error)
        } catch {
            return .failure(FixtureError("preparing test user \(name) failed: \(error)"))
        }
    }()

    private static func prepare() throws -> String {
        let exists = getpwnam(name) != nil
        guard geteuid() == 0 else {
            guard exists else {
                throw FixtureError(
                    "password tests need the system user '\(name)'; run the tests as root (they create it) "
                        + "or create it and export NETRAVEN_TEST_PASSWORD")
            }
            guard let password = ProcessInfo.processInfo.environment["NETRAVEN_TEST_PASSWORD"] else {
                throw FixtureError("user '\(name)' exists but NETRAVEN_TEST_PASSWORD is not set (not root)")
            }
            return password
        }
        // bash, not Debian's default dash: the tests' marker command uses $RANDOM.
        if exists {
            try runTool("/usr/sbin/usermod", ["-s", "/bin/bash", name])
        } else {
            try runTool("/usr/sbin/useradd", ["-m", "-s", "/bin/bash", name])
        }
        let password = "pw-\(UUID().uuidString.prefix(12))"
        try runTool("/usr/sbin/chpasswd", [], input: "\(name):\(password)\n")
        return password
    }
}
