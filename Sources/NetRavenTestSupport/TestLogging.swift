import Foundation
public import Logging
import NetRavenCore

/// Routes a test process's logs through NetRaven's own handler, so the suite's log lines are redacted, JSON, and
/// reach the `NETRAVEN_LOG_TEE` file that the secret check reads, like the daemon's.
public enum TestLogging {
    /// Installs the handler once per test process, at `NETRAVEN_TEST_LOG_LEVEL` (default `warning`: the capture
    /// lifecycle at info level would bury the test report; the tee file still receives every level).
    public static func bootstrap() {
        _ = installed
    }

    private static let installed: Void = {
        let name = ProcessInfo.processInfo.environment["NETRAVEN_TEST_LOG_LEVEL"] ?? "warning"
        LoggingBootstrap.install(LogSettings(level: LogLevelName.level(name) ?? .warning))
    }()

    /// A logger with `label` from the installed handler.
    public static func logger(_ label: String) -> Logger {
        bootstrap()
        return Logger(label: label)
    }
}
