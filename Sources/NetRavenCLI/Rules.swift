import ArgumentParser

extension NetRavenCommand {
    /// Tools for the rules directory.
    struct Rules: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules",
            abstract: "Work with the rules directory (syslog change rules).",
            subcommands: [RulesTest.self]
        )
    }
}
