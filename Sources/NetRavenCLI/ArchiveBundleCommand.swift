import ArgumentParser
import Foundation
import NetRavenBundle
import NetRavenCore

extension NetRavenCommand {
    /// Writes a `.tar.gz` of the current configurations with a JSON manifest.
    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a .tar.gz of the current configurations (all devices, or by name, group or tag) "
                + "with a JSON manifest.",
            discussion: """
                The bundle is named netraven-archive-YYYYMMDDTHHMMSSZ.tar.gz (UTC) and appears under that name only \
                once it is complete and on disk. Prints its path, entry count, size and sha256. Exit 0 when every \
                selected device had a stored configuration; 1 when some had none (the bundle is still written) or \
                the archive cannot be read; 2 for bad usage or configuration. See docs/archive-bundles.md.
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Devices, groups or tags (default: every device in the inventory).")
        var selectors: [String] = []

        @Option(name: .long, help: "The directory to write the bundle into (created if missing).")
        var output: String

        func run() async throws {
            let access = try ArchiveAccess(global: global)
            let configuration = access.configuration
            let (devices, unmatched) = selectors.isEmpty
                ? (configuration.devices, []) : configuration.select(selectors)
            let sources: [BundleSource]
            do {
                guard unmatched.isEmpty else {
                    throw ValidationError("no device, group or tag named \(unmatched.joined(separator: ", "))")
                }
                sources = try devices.map {
                    BundleSource(
                        device: $0.name, configPath: try access.layout.configPath(for: $0),
                        factsPath: try access.layout.factsPath(for: $0))
                }
            } catch {
                await access.archive.close()
                Output.error("netraven: \(error)")
                throw ExitCode(ExitStatus.usage)
            }
            let (bundle, written) = try await access.use { () async throws -> (ArchiveBundle, WrittenBundle) in
                let bundle = try await ArchiveBundle.build(
                    from: access.archive, sources: sources, netravenVersion: NetRavenCommand.version)
                return (bundle, try await bundle.write(toDirectory: output))
            }
            for device in bundle.missingDevices {
                Output.error("netraven: \(device) has no stored configuration; not in the bundle")
            }
            if global.json {
                let summary = try BundleSummary(written: written, bundle: bundle).encoded()
                Output.line(String(decoding: summary, as: UTF8.self))
            } else {
                Output.line(written.path)
                Output.line("entries: \(written.entries)  size: \(written.size) bytes  sha256: \(written.sha256)")
            }
            if !bundle.missingDevices.isEmpty { throw ExitCode(ExitStatus.partialFailure) }
        }
    }
}

/// `netraven archive --json`'s one line.
struct BundleSummary: Encodable {
    var path: String
    var name: String
    var entries: Int
    var size: Int
    var sha256: String
    var archiveHead: String
    var missing: [String]

    init(written: WrittenBundle, bundle: ArchiveBundle) {
        path = written.path
        name = written.name
        entries = written.entries
        size = written.size
        sha256 = written.sha256
        archiveHead = bundle.manifest.archiveHead
        missing = bundle.missingDevices
    }

    enum CodingKeys: String, CodingKey {
        case path, name, entries, size, sha256, missing
        case archiveHead = "archive_head"
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
