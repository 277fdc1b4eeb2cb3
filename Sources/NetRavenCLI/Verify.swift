import ArgumentParser
import Foundation
import NetRavenBundle
import NetRavenCore
import NetRavenS3

extension NetRavenCommand {
    /// Checks a bundle against its manifest and the Git archive.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check an archive bundle (or, with --s3, the S3 copies) against the Git archive; report every mismatch.",
            discussion: """
                Checks each member's size and sha256 against manifest.json, members missing from either side, and \
                that the Git archive holds each file with that sha256 at the manifest's commit. One line per \
                mismatch (path: kind: detail). Exit 0 when clean, 1 on any mismatch or an unreadable bundle, 2 for \
                bad usage or configuration. --no-git checks the manifest only (no configuration needed). \
                --s3 (without a bundle) checks each device's latest.cfg in the S3 bucket against its current version \
                in Git instead.
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The bundle (.tar.gz) to check.")
        var bundle: String?

        @Flag(name: .customLong("s3"), help: "Check the S3 copies (latest.cfg per device) against Git instead.")
        var s3 = false

        @Flag(name: .customLong("no-git"), help: "Check against the manifest only, not the Git archive.")
        var noGit = false

        func validate() throws {
            if s3 {
                guard bundle == nil else { throw ValidationError("give a bundle or --s3, not both") }
                return
            }
            guard let bundle else { throw ValidationError("give a bundle to check, or --s3") }
            guard FileManager.default.fileExists(atPath: bundle) else {
                throw ValidationError("no such file: \(bundle)")
            }
        }

        func run() async throws {
            let report: VerificationReport
            let bundle = self.bundle ?? "s3"
            if s3 {
                report = try await verifyS3()
            } else if noGit {
                report = try await BundleVerifier.verify(bundleAt: bundle, against: nil)
            } else {
                let access = try ArchiveAccess(global: global)
                report = try await access.use {
                    try await BundleVerifier.verify(bundleAt: bundle, against: access.archive)
                }
            }
            if global.json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                let summary = VerifySummary(bundle: bundle, clean: report.isClean, report: report)
                Output.line(String(decoding: try encoder.encode(summary), as: UTF8.self))
            } else {
                for mismatch in report.mismatches { Output.line(mismatch.description) }
                let checked = "\(report.checked) entr\(report.checked == 1 ? "y" : "ies") checked"
                let against = s3 ? "Git" : noGit ? "manifest" : "manifest and Git"
                Output.line(
                    report.isClean
                        ? "\(bundle): clean (\(checked) against the \(against))"
                        : "\(bundle): \(report.mismatches.count) mismatch\(report.mismatches.count == 1 ? "" : "es") "
                            + "(\(checked) against the \(against))")
            }
            if !report.isClean { throw ExitCode(ExitStatus.partialFailure) }
        }

        /// Each device's latest.cfg in the bucket against its current version in Git.
        private func verifyS3() async throws -> VerificationReport {
            let access = try ArchiveAccess(global: global)
            guard let settings = access.configuration.s3 else {
                await access.archive.close()
                Output.error("netraven: verify --s3 needs an s3: section in \(global.configPath)")
                throw ExitCode(ExitStatus.usage)
            }
            let client: S3Client
            do {
                client = try S3Client(settings: settings)
            } catch {
                await access.archive.close()
                Output.error("netraven: \(error)")
                throw ExitCode(ExitStatus.usage)
            }
            do {
                let report = try await access.use {
                    var expected: [S3CopyVerifier.Expected] = []
                    for device in access.configuration.devices {
                        let path = try access.layout.configPath(for: device)
                        guard let data = try await access.archive.readData(path: path) else { continue }
                        expected.append(.init(archivePath: path, body: Array(data)))
                    }
                    return try await S3CopyVerifier(client: client).verify(expected)
                }
                try? await client.shutdown()
                return report
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }
}

/// `netraven verify --json`'s one object.
struct VerifySummary: Encodable {
    var bundle: String
    var clean: Bool
    var report: VerificationReport

    enum CodingKeys: String, CodingKey {
        case bundle, clean, checked, mismatches
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(bundle, forKey: .bundle)
        try container.encode(clean, forKey: .clean)
        try container.encode(report.checked, forKey: .checked)
        try container.encode(report.mismatches, forKey: .mismatches)
    }
}
