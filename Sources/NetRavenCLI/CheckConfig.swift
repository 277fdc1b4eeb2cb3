import ArgumentParser
import NetRavenCore

extension NetRavenCommand {
    /// Validates the configuration, inventory, credentials and rules, reporting every problem.
    struct CheckConfig: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check-config",
            abstract: "Check the configuration, inventory, credentials and rules; report every problem as file:line:column."
        )

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let configuration = try global.loadConfiguration()
            let platforms = Set(configuration.devices.map(\.platform)).sorted().joined(separator: ", ")
            if global.json {
                Output.line(
                    "{\"ok\":true,\"devices\":\(configuration.devices.count),\"platforms\":\(configuration.rules.platforms.count)}")
            } else {
                Output.line(
                    "configuration OK: \(configuration.devices.count) devices (\(platforms.isEmpty ? "none" : platforms)), "
                        + "\(configuration.rules.platforms.count) platforms from \(configuration.rules.directory)"
                        + ", \(configuration.rules.syslog.rules.count) syslog rules"
                        + ", \(configuration.trapRules.rules.count) trap rules")
            }
        }
    }
}
