import ArgumentParser
import Foundation

extension NetRavenCommand {
    /// Rebuilds the journal's version index from the archive.
    struct Reindex: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild the per-device version index (in the journal) from the archive's Git history.",
            discussion: """
                The index is kept up to date by every capture and caught up from Git before each read, so this is \
                only needed to start over (docs/archive.md, "Version index").
                """)

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let access = try ArchiveAccess(global: global)
            let started = ContinuousClock.now
            let versions = access.versions
            let commits = try await access.use { try await versions.rebuild() }
            let seconds = (ContinuousClock.now - started) / .seconds(1)
            if global.json {
                Output.line("{\"commits\":\(commits),\"seconds\":\(String(format: "%.3f", seconds))}")
            } else {
                Output.line("indexed \(commits) commits in \(String(format: "%.2f", seconds)) s")
            }
        }
    }
}
