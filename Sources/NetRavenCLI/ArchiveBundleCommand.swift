import ArgumentParser
import Foundation
import NetRavenBundle
import NetRavenCore
import NetRavenS3

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
                the archive cannot be read; 2 for bad usage or configuration. With --s3 the bundle is also uploaded \
                to <prefix>/archives/ in the configured bucket and read back to verify it. See \
                docs/archive-bundles.md.
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Devices, groups or tags (default: every device in the inventory).")
        var selectors: [String] = []

        @Option(name: .long, help: "The directory to write the bundle into (created if missing).")
        var output: String?

        @Flag(name: .customLong("s3"), help: "Upload the bundle to the S3 bucket (<prefix>/archives/) and verify it.")
        var s3 = false

        func validate() throws {
            guard output != nil || s3 else { throw ValidationError("give --output DIR, --s3, or both") }
        }

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
            let client = try s3Client(access.configuration)
            let (bundle, written, uploadedKey) = try await access.use {
                () async throws -> (ArchiveBundle, WrittenBundle, String?) in
                let bundle = try await ArchiveBundle.build(
                    from: access.archive, sources: sources, netravenVersion: NetRavenCommand.version)
                let directory = output ?? NSTemporaryDirectory() + "netraven-archive-\(UUID().uuidString)"
                let written = try await bundle.write(toDirectory: directory)
                var uploadedKey: String?
                if let client {
                    do {
                        let body = try [UInt8](Data(contentsOf: URL(fileURLWithPath: written.path)))
                        let (key, _) = try await VersionUploader(client: client).uploadBundle(
                            fileName: written.name, body: body)
                        uploadedKey = key
                        try? await client.shutdown()
                    } catch {
                        try? await client.shutdown()
                        if output == nil { try? FileManager.default.removeItem(atPath: directory) }
                        throw error
                    }
                }
                if output == nil { try? FileManager.default.removeItem(atPath: directory) }
                return (bundle, written, uploadedKey)
            }
            for device in bundle.missingDevices {
                Output.error("netraven: \(device) has no stored configuration; not in the bundle")
            }
            if global.json {
                var summary = BundleSummary(written: written, bundle: bundle)
                summary.s3Key = uploadedKey
                if output == nil { summary.path = nil }
                Output.line(String(decoding: try summary.encoded(), as: UTF8.self))
            } else {
                if output != nil { Output.line(written.path) }
                if let uploadedKey { Output.line("s3: \(uploadedKey) (uploaded and verified)") }
                Output.line("entries: \(written.entries)  size: \(written.size) bytes  sha256: \(written.sha256)")
            }
            if !bundle.missingDevices.isEmpty { throw ExitCode(ExitStatus.partialFailure) }
        }
    }
}

extension NetRavenCommand.Archive {
    /// The S3 client for `--s3`; nil without the flag. Exits with a usage error when S3 is not configured.
    func s3Client(_ configuration: Configuration) throws -> S3Client? {
        guard s3 else { return nil }
        guard let settings = configuration.s3 else {
            Output.error("netraven: archive --s3 needs an s3: section in \(global.configPath)")
            throw ExitCode(ExitStatus.usage)
        }
        do {
            return try S3Client(settings: settings)
        } catch {
            Output.error("netraven: \(error)")
            throw ExitCode(ExitStatus.usage)
        }
    }
}

/// `netraven archive --json`'s one line.
struct BundleSummary: Encodable {
    /// Nil when the bundle went to S3 only.
    var path: String?
    /// The S3 key with --s3.
    var s3Key: String?
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
        case s3Key = "s3_key"
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
