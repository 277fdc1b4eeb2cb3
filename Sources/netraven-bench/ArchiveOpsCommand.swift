import ArgumentParser
import Foundation
import Logging
import NetRavenAgent
import NetRavenGit

/// Times archive operations inside one process (no start-up in the figures): commits as a capture makes them
/// (`ConfigArchive.commit` with automatic packing + the version index's record), history from the version index,
/// diff, and a full reindex. Prints one JSON object: the operation, each repetition's milliseconds, and details.
struct ArchiveOpsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive-ops",
        abstract: "Time archive operations (commit, history, diff, reindex) in-process; print JSON.")

    @Argument(help: "commit | history | diff | reindex") var operation: String
    @Option(help: "The bare repository.") var repository: String
    @Option(help: "The journal holding the version index.") var journal: String
    @Option(help: "Archive paths (commit cycles through them).") var path: [String] = []
    @Option(help: "Repetitions.") var count = 10
    @Option(help: "history: at most this many versions.") var limit: Int?
    @Option(help: "diff: from this revision.") var from: String?
    @Option(help: "diff: to this revision.") var to: String?
    @Option(help: "Loose objects that trigger packing (0 = never).")
    var autoPack = ConfigArchive.defaultAutoPackThreshold

    func validate() throws {
        guard ["commit", "history", "diff", "reindex"].contains(operation) else {
            throw ValidationError("operation must be commit, history, diff or reindex")
        }
        if operation != "reindex" && path.isEmpty { throw ValidationError("\(operation) needs --path") }
        if operation == "diff" && (from == nil || to == nil) { throw ValidationError("diff needs --from and --to") }
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
    }

    func run() async throws {
        let archive = try ConfigArchive(path: repository, autoPackThreshold: autoPack)
        let index = VersionIndex(archive: archive, journalPath: journal, logger: Logger(label: "netraven-bench"))
        var milliseconds: [Double] = []
        var details: [String: Int] = [:]
        let clock = ContinuousClock()
        do {
            // The index is caught up first, so the timed reads measure reads, not a catch-up.
            if operation != "reindex" { try await index.catchUp() }
            for repetition in 0..<count {
                switch operation {
                case "commit":
                    let file = path[repetition % path.count]
                    let current = try await archive.read(path: file) ?? ""
                    let files = [ArchiveFile(path: file, contents: current + "! bench change \(UUID())\n")]
                    let signature = ArchiveSignature(name: "NetRaven", email: "netraven@localhost", date: Date())
                    let started = clock.now
                    let outcome = try await archive.commit(
                        files: files, message: "bench: change \(repetition)\n\nTrigger: syslog\n", author: signature,
                        committer: signature)
                    if let outcome { await index.record(outcome) }
                    milliseconds.append(Self.milliseconds(clock.now - started))
                    details["packed_objects", default: 0] += outcome?.pack?.packedObjects ?? 0
                    if outcome?.pack != nil { details["packs", default: 0] += 1 }
                case "history":
                    let started = clock.now
                    let versions = try await index.history(path: path[0], limit: limit)
                    milliseconds.append(Self.milliseconds(clock.now - started))
                    details["versions"] = versions.count
                case "diff":
                    let started = clock.now
                    let text = try await archive.diff(path: path[0], from: from, to: to)
                    milliseconds.append(Self.milliseconds(clock.now - started))
                    details["diff_bytes"] = text.utf8.count
                default:
                    let started = clock.now
                    details["commits"] = try await index.rebuild()
                    milliseconds.append(Self.milliseconds(clock.now - started))
                }
            }
        } catch {
            await archive.close()
            throw error
        }
        await archive.close()
        let object: [String: Any] = ["operation": operation, "ms": milliseconds, "details": details]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
    }
}
