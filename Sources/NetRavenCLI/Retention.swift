import ArgumentParser
import Foundation
import NetRavenCore
import NetRavenS3

extension NetRavenCommand {
    /// Prunes old S3 snapshots and local archive bundles, never the newest copies.
    struct Retention: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete S3 snapshots and local archive bundles older than the retention period.",
            discussion: """
                Copies older than keep_days go, but the keep_min newest of each device (and of the archive \
                bundles) always stay, and latest.cfg is never touched. The policy is s3.retention unless \
                --keep-days / --keep-min are given. Exit status 1 when a deletion failed.
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(name: .long, help: "List what would be deleted, delete nothing.") var dryRun = false
        @Flag(name: .long, help: "Prune snapshot objects and bundles in the configured S3 bucket.") var s3 = false
        @Option(name: .long, help: "Prune archive bundles (netraven-archive-*.tar.gz) in this directory.")
        var local: String?
        @Option(name: .long, help: "Keep copies younger than this many days (default: s3.retention.keep_days).")
        var keepDays: Int?
        @Option(name: .long, help: "Always keep this many newest copies per device (default: s3.retention.keep_min).")
        var keepMin: Int?

        func validate() throws {
            if !s3 && local == nil { throw ValidationError("give --s3, --local DIR or both") }
            if let keepDays, keepDays < 1 { throw ValidationError("--keep-days must be at least 1") }
            if let keepMin, keepMin < 1 { throw ValidationError("--keep-min must be at least 1") }
        }

        func run() async throws {
            let configuration = try global.loadConfiguration()
            let configured = configuration.s3?.retention
            guard let days = keepDays ?? configured?.keepDays else {
                Output.error("netraven: no retention policy: set s3.retention.keep_days or pass --keep-days")
                throw ExitCode(ExitStatus.usage)
            }
            let policy = RetentionPolicy(keepDays: days, keepMinimum: keepMin ?? configured?.keepMinimum ?? 1)
            var report = RetentionReport(dryRun: dryRun)
            if let local {
                let retention = LocalArchiveRetention(directory: local)
                do {
                    let plan = try retention.plan(policy: policy)
                    let deleted = try dryRun ? [] : retention.apply(plan)
                    report.add(plan, where: "local", deleted: deleted)
                } catch {
                    report.failures.append("local \(local): \(error.localizedDescription)")
                }
            }
            if s3 {
                guard let settings = configuration.s3 else {
                    Output.error("netraven: --s3 needs an s3: section in \(global.configPath)")
                    throw ExitCode(ExitStatus.usage)
                }
                do {
                    let client = try S3Client(settings: settings)
                    let retention = SnapshotRetention(client: client)
                    do {
                        let plan = try await retention.plan(policy: policy)
                        let deleted = try await dryRun ? [] : retention.apply(plan)
                        report.add(plan, where: "s3", deleted: deleted)
                    } catch {
                        report.failures.append("s3 \(settings.bucket): \(error)")
                    }
                    try? await client.shutdown()
                } catch {
                    report.failures.append("s3: \(error)")
                }
            }
            report.print(json: global.json)
            if !report.failures.isEmpty { throw ExitCode(ExitStatus.partialFailure) }
        }
    }
}

/// What a retention run did, printed as text or JSON.
struct RetentionReport {
    struct Entry: Encodable {
        var location: String
        var key: String
        var group: String
        var time: Date
        var deleted: Bool
    }

    var dryRun: Bool
    var entries: [Entry] = []
    var kept = 0
    var failures: [String] = []

    mutating func add(_ plan: RetentionPlan, where location: String, deleted: [RetentionPlan.Item]) {
        kept += plan.keep.count
        let deletedKeys = Set(deleted.map(\.key))
        for item in plan.delete {
            entries.append(
                Entry(
                    location: location, key: item.key, group: item.group, time: item.time,
                    deleted: deletedKeys.contains(item.key)))
        }
    }

    func print(json: Bool) {
        if json {
            struct Document: Encodable {
                var dryRun: Bool
                var candidates: [Entry]
                var kept: Int
                var failures: [String]
            }
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.sortedKeys]
            let document = Document(dryRun: dryRun, candidates: entries, kept: kept, failures: failures)
            if let data = try? encoder.encode(document) { Output.line(String(decoding: data, as: UTF8.self)) }
            return
        }
        for entry in entries {
            let verb = dryRun ? "would delete" : (entry.deleted ? "deleted" : "not deleted")
            Output.line("\(verb)  \(entry.location)  \(entry.key)")
        }
        let total = entries.count
        Output.line(
            "\(dryRun ? "would delete" : "deleted") \(entries.filter { dryRun || $0.deleted }.count) of \(total) "
                + "expired cop\(total == 1 ? "y" : "ies"); kept \(kept)")
        for failure in failures { Output.error("netraven: \(failure)") }
    }
}
