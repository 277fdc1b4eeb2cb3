import Foundation
import Logging
import Synchronization

/// Installs NetRaven's logging for the whole process: every `Logger` gets a ``JSONLogHandler`` writing through one
/// ``LogWriter`` (stderr, the rotating file of `logging.file`, and the `NETRAVEN_LOG_TEE` file when that variable
/// is set), at the levels of `logging.level` and `logging.levels`.
public enum LoggingBootstrap {
    /// The environment variable naming a file that receives every log line of every process that has it set (the
    /// test suite's secret check reads it).
    public static let teeVariable = "NETRAVEN_LOG_TEE"

    private struct State {
        var settings: LogSettings
        var writer: LogWriter
    }

    private static let state = Mutex<State?>(nil)

    /// The first call installs the handler for the process; later calls apply new settings (levels for loggers
    /// created from then on, the log file at once). Problems opening the log file or the tee are logged to
    /// stderr and logging goes on without them.
    public static func install(
        _ settings: LogSettings, environment: [String: String]? = nil
    ) {
        let environment = environment ?? ProcessInfo.processInfo.environment
        let (installed, problem) = state.withLock { current -> (Bool, String?) in
            if let existing = current {
                current?.settings = settings
                existing.writer.reconfigure(settings)
                return (false, nil)
            }
            let tee = environment[teeVariable].flatMap { $0.isEmpty ? nil : $0 }
            var problem: String?
            let writer: LogWriter
            do {
                writer = try LogWriter(settings: settings, teePath: tee)
            } catch {
                problem = "\(error)"
                writer = LogWriter()
            }
            current = State(settings: settings, writer: writer)
            return (true, problem)
        }
        guard installed else { return }
        LoggingSystem.bootstrap { label in
            let (settings, writer) = state.withLock { ($0?.settings ?? LogSettings(), $0?.writer) }
            guard let writer else { return JSONLogHandler(label: label, level: settings.level(for: label)) }
            return JSONLogHandler(label: label, settings: settings, writer: writer)
        }
        atexit { LoggingBootstrap.flush() }
        if let problem {
            Logger(label: "netraven.log").error(
                "cannot open the log file; logging to stderr only", metadata: ["reason": "\(problem)"])
        }
    }

    /// The process's writer, once installed.
    public static var writer: LogWriter? { state.withLock { $0?.writer } }

    /// The settings in force, once installed.
    public static var settings: LogSettings? { state.withLock { $0?.settings } }

    /// Waits (a few seconds at most) until every line logged so far is written; called at exit.
    public static func flush() {
        writer?.flush()
    }
}
