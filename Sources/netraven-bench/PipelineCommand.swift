import ArgumentParser
import Foundation
import NetRavenCore
import NetRavenGit

/// Times what a capture does after the transfer, in-process, on a collected configuration: normalize, the changed
/// lines (diff), the verdict (sensitive categories included) and the commit to a fresh archive. Used by
/// scripts/bench/p7-bigconfig; prints one JSON object with the milliseconds of each step per repetition.
struct PipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Time normalize + diff + verdict + commit of a collected configuration (JSON on stdout).")

    @Option(help: "netraven.yaml whose rules and verdict policy apply.")
    var config: String

    @Option(help: "The inventory device whose platform and verdict rules apply.")
    var device: String

    @Option(help: "The collected text of the previous version (committed first, untimed).")
    var before: String

    @Option(help: "The collected text of the changed version (the timed one).")
    var after: String

    @Option(help: "Directory for the scratch archives (one per repetition).")
    var workDirectory: String

    @Option(name: .customLong("repeat"), help: "Repetitions.")
    var repetitions: Int = 3

    func validate() throws {
        guard repetitions >= 1 else { throw ValidationError("--repeat must be at least 1") }
    }

    struct Timing: Encodable {
        var normalizeMs: Double
        var diffMs: Double
        var verdictMs: Double
        var commitMs: Double
        var totalMs: Double
        var addedLines: Int
        var removedLines: Int
        var verdict: String
        var reasons: [String]
    }

    func run() async throws {
        let configuration = try ConfigurationLoader().load(path: config)
        guard let device = configuration.devices.first(where: { $0.name == self.device }) else {
            throw ValidationError("no device \(self.device) in the inventory of \(config)")
        }
        guard let platform = configuration.rules.platforms[device.platform] else {
            throw ValidationError("no rules for platform \(device.platform) (device \(device.name))")
        }
        let beforeText = try String(contentsOfFile: before, encoding: .utf8)
        let afterText = try String(contentsOfFile: after, encoding: .utf8)
        let normalizer = ConfigNormalizer(
            platform: platform, maskSecrets: configuration.settings.archive.maskSecrets)
        let clock = ContinuousClock()
        var timings: [Timing] = []
        for round in 1...repetitions {
            let archivePath = "\(workDirectory)/pipeline-archive-\(round)"
            try? FileManager.default.removeItem(atPath: archivePath)
            let archive = try ConfigArchive(path: archivePath)
            let signature = ArchiveSignature(name: "bench", email: "bench@netraven.invalid", date: Date())
            let path = "\(device.name).cfg"
            // The previous version is in the archive before the clock starts, as it is for a second capture.
            let previous = try normalizer.normalize(beforeText)
            _ = try await archive.commit(
                files: [ArchiveFile(path: path, contents: previous)], message: "baseline", author: signature,
                committer: signature)

            let start = clock.now
            let normalized = try normalizer.normalize(afterText)
            let normalizedAt = clock.now
            let stored = try await archive.read(path: path) ?? ""
            let changes = ChangedLines(old: stored, new: normalized)
            let diffedAt = clock.now
            let verdict = configuration.verdict.verdict(
                for: VerdictPolicy.Input(
                    device: device, trigger: .syslog, events: [], changes: changes, isFirstCapture: false,
                    capturedAt: Date()))
            let message = CommitMessage(
                device: device.name, trigger: .syslog, jobID: "bench\(round)", verdict: verdict)
            let verdictAt = clock.now
            guard try await archive.commit(
                files: [ArchiveFile(path: path, contents: normalized)], message: message.text, author: signature,
                committer: signature) != nil
            else {
                throw ValidationError("--after normalizes to the same configuration as --before: nothing to commit")
            }
            let committedAt = clock.now
            await archive.close()
            timings.append(
                Timing(
                    normalizeMs: (normalizedAt - start).milliseconds, diffMs: (diffedAt - normalizedAt).milliseconds,
                    verdictMs: (verdictAt - diffedAt).milliseconds, commitMs: (committedAt - verdictAt).milliseconds,
                    totalMs: (committedAt - start).milliseconds, addedLines: changes.added.count,
                    removedLines: changes.removed.count, verdict: verdict.kind.rawValue,
                    reasons: verdict.reasons.map(\.code)))
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(timings), as: UTF8.self))
    }
}

extension Duration {
    fileprivate var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
