import ArgumentParser
import Foundation
import Logging
import NetRavenCore

/// Flags every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file (default: $NETRAVEN_CONFIG or /etc/netraven/netraven.yaml).")
    var config: String?

    @Option(name: .long, help: "Override the state directory (archive, known_hosts).")
    var stateDir: String?

    @Option(name: .long, help: "Override the rules directory.")
    var rulesDir: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    @Flag(name: .long, help: "Print machine-readable JSON instead of text.")
    var json = false

    func validate() throws {
        if let level = logLevel, !LogLevelName.allowed.contains(level.lowercased()) {
            throw ValidationError("--log-level must be one of \(LogLevelName.allowed.joined(separator: ", "))")
        }
    }

    var configPath: String {
        config ?? ProcessInfo.processInfo.environment["NETRAVEN_CONFIG"] ?? "/etc/netraven/netraven.yaml"
    }

    /// Loads the configuration; problems are printed as file:line:column and end the command with status 2.
    func loadConfiguration() throws -> Configuration {
        do {
            let configuration = try ConfigurationLoader(
                stateDirectoryOverride: stateDir, rulesDirectoryOverride: rulesDir
            ).load(path: configPath)
            bootstrapLogging(configuration.settings.logging, override: logLevel)
            return configuration
        } catch let error as DiagnosticError {
            Output.error(error.description)
            Output.error("\(error.diagnostics.count) problem\(error.diagnostics.count == 1 ? "" : "s") in the configuration")
            throw ExitCode(ExitStatus.usage)
        }
    }
}

/// Installs the JSON log handler for the process (once; a later call applies new settings): the configuration's
/// `logging:` section, with `--log-level` replacing its overall level (per-module levels stay).
func bootstrapLogging(_ settings: LogSettings, override level: String?) {
    var settings = settings
    if let level, let parsed = LogLevelName.level(level) { settings.level = parsed }
    LoggingBootstrap.install(settings)
}

/// Human output on stdout and stderr, redacted like the logs.
enum Output {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((SecretRedactor.shared.redact(text) + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((SecretRedactor.shared.redact(text) + "\n").utf8))
    }
}
