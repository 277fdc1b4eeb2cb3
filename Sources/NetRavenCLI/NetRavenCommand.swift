public import ArgumentParser
import Foundation

/// The `netraven` command: capture network device configurations into Git.
public struct NetRavenCommand: AsyncParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "netraven",
        abstract: "Capture network device configurations into Git, with who changed what.",
        discussion: """
            Exit codes: 0 success; 1 some devices failed; 2 bad usage or configuration.
            The configuration file defaults to $NETRAVEN_CONFIG, else /etc/netraven/netraven.yaml.
            """,
        version: version,
        subcommands: [
            Backup.self, Sweep.self, History.self, Diff.self, Show.self, Push.self, CheckConfig.self,
            Events.self,
            Jobs.self,
            Outbox.self,
            Rules.self,
            Run.self,
            Archive.self, Verify.self,
            Retention.self, Upload.self,
            Token.self,
            Reindex.self,
        ]
    )

    public init() {}

    /// Runs the command line with NetRaven's exit codes: usage and configuration errors exit 2, not 64.
    public static func mainWithExitCodes(arguments: [String]? = nil) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help, --version: ArgumentParser prints them as "errors" with a success code.
                Output.line(fullMessage(for: error))
                return 0
            }
            let message = fullMessage(for: error)
            if !message.isEmpty {
                FileHandle.standardError.write(Data((message + "\n").utf8))
            }
            if code == .validationFailure { return ExitStatus.usage }
            return code.rawValue
        }
    }
}

/// NetRaven's exit statuses.
public enum ExitStatus {
    public static let success: Int32 = 0
    /// Some devices failed.
    public static let partialFailure: Int32 = 1
    /// Bad usage or configuration.
    public static let usage: Int32 = 2
}
