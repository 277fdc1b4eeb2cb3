import ArgumentParser
import NetRavenCore

extension NetRavenCommand {
    /// Captures the named devices now.
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Capture devices now, by name, alias, group or tag; commit what changed and push.",
            discussion: "Prints one line per device: changed (+added -removed lines, commit), unchanged, or failed "
                + "(class: reason). Exit 0 when all succeeded, 1 when some failed, 2 for bad usage or configuration."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Devices, groups or tags.")
        var selectors: [String]

        @Flag(name: .long, help: "Collect and compare, but commit and push nothing.")
        var dryRun = false

        func validate() throws {
            if selectors.isEmpty { throw ValidationError("name at least one device, group or tag") }
        }

        func run() async throws {
            let configuration = try global.loadConfiguration()
            let (devices, unmatched) = configuration.select(selectors)
            if !unmatched.isEmpty {
                Output.error("netraven: no device, group or tag named \(unmatched.joined(separator: ", "))")
                throw ExitCode(ExitStatus.usage)
            }
            try await CaptureCommandSupport.run(
                global: global, configuration: configuration, devices: devices, trigger: .manual, dryRun: dryRun,
                showProgress: false)
        }
    }

    /// Captures every device.
    struct Sweep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Capture every device in the inventory with bounded concurrency; commit what changed and push.",
            discussion: "Shows a progress bar on a terminal and a summary table at the end. Exit 0 when all "
                + "succeeded, 1 when some failed, 2 for bad usage or configuration."
        )

        @OptionGroup var global: GlobalOptions

        @Flag(name: .long, help: "Collect and compare, but commit and push nothing.")
        var dryRun = false

        func run() async throws {
            let configuration = try global.loadConfiguration()
            try await CaptureCommandSupport.run(
                global: global, configuration: configuration, devices: configuration.devices, trigger: .sweep,
                dryRun: dryRun, showProgress: true)
        }
    }
}
