import ArgumentParser

/// `netraven-bench`: the load generators and measuring tools `make bench` drives (scripts/bench/run,
/// docs/benchmarks.md). Each tool is one subcommand in its own file.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "netraven-bench",
        abstract: "Load generators and measuring tools for `make bench` (not shipped).",
        subcommands: [
            MachineCommand.self,
            ArchiveGenerateCommand.self,
            ArchiveOpsCommand.self,
            SendSyslogCommand.self,
            SendTrapsCommand.self,
            PipelineCommand.self,
            FloodSyslogCommand.self,
        ])
}
