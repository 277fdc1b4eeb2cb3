import ArgumentParser
import Foundation
import Logging
import NetRavenAgent
import NetRavenCore
import NetRavenGit

/// Opens the archive for read-only commands.
struct ArchiveAccess {
    let configuration: Configuration
    let layout: ArchiveLayout
    let archive: ConfigArchive

    init(global: GlobalOptions) throws {
        configuration = try global.loadConfiguration()
        layout = ArchiveLayout(
            stateDirectory: configuration.settings.stateDirectory, pathTemplate: configuration.settings.archive.pathTemplate)
        guard FileManager.default.fileExists(atPath: layout.repositoryPath) else {
            Output.error("netraven: no archive at \(layout.repositoryPath) yet; run 'netraven sweep' or 'netraven backup' first")
            throw ExitCode(ExitStatus.partialFailure)
        }
        do {
            archive = try ConfigArchive(path: layout.repositoryPath)
        } catch {
            Output.error("netraven: cannot open the archive: \(error)")
            throw ExitCode(ExitStatus.partialFailure)
        }
    }

    /// The version index in the journal next to the archive (caught up from Git on each read).
    var versions: VersionIndex {
        VersionIndex(archive: archive, journalPath: layout.journal, logger: Logger(label: "netraven"))
    }

    func path(of name: String) throws -> (Device, String) {
        guard let device = configuration.device(named: name) else {
            Output.error("netraven: no device named \(name) in the inventory")
            throw ExitCode(ExitStatus.usage)
        }
        do {
            return (device, try layout.configPath(for: device))
        } catch {
            Output.error("netraven: \(error)")
            throw ExitCode(ExitStatus.usage)
        }
    }

    /// Runs `body`, then closes the archive (on its own thread, before returning); archive errors become a message
    /// and exit 1.
    func use<T>(_ body: () async throws -> T) async throws -> T {
        let result: Result<T, any Error>
        do {
            result = .success(try await body())
        } catch {
            result = .failure(error)
        }
        await archive.close()
        switch result {
        case .success(let value):
            return value
        case .failure(let error as ExitCode):
            throw error
        case .failure(let error):
            Output.error("netraven: \(error)")
            throw ExitCode(ExitStatus.partialFailure)
        }
    }
}

extension NetRavenCommand {
    /// Lists a device's stored versions.
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a device's stored versions: commit, date, trigger, who changed it.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The device.") var device: String
        @Option(name: .long, help: "Show at most this many versions.") var limit: Int?

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            let access = try ArchiveAccess(global: global)
            let (_, path) = try access.path(of: device)
            let commits = try await access.use { try await access.versions.history(path: path, limit: limit) }
            let formatter = ISO8601DateFormatter()
            for commit in commits {
                let trigger = commit.trailer("Trigger") ?? "-"
                let user = commit.trailer("Changed-By") ?? "-"
                if global.json {
                    Output.line(
                        "{\"commit\":\(jsonString(commit.id)),\"date\":\(jsonString(formatter.string(from: commit.committer.date))),"
                            + "\"trigger\":\(jsonString(trigger)),\"user\":\(jsonString(user)),\"summary\":\(jsonString(commit.summary))}")
                } else {
                    Output.line("\(commit.shortID)  \(formatter.string(from: commit.committer.date))  \(trigger.padding(toLength: 7, withPad: " ", startingAt: 0))  \(user.padding(toLength: 12, withPad: " ", startingAt: 0))  \(commit.summary)")
                }
            }
            if commits.isEmpty && !global.json { Output.line("no versions of \(device) stored yet") }
        }
    }

    /// Shows what changed in a device's configuration.
    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Unified diff of a device's configuration.",
            discussion: "No revision: the device's last change. One: from it to the latest version. Two: between them.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The device.") var device: String
        @Argument(help: "Revisions (commit ids, HEAD~2, ...).") var revisions: [String] = []

        func validate() throws {
            if revisions.count > 2 { throw ValidationError("give at most two revisions") }
        }

        func run() async throws {
            let access = try ArchiveAccess(global: global)
            let (_, path) = try access.path(of: device)
            let text = try await access.use { () async throws -> String in
                switch revisions.count {
                case 0:
                    let last = try await access.versions.history(path: path, limit: 2)
                    guard let newest = last.first else { return "" }
                    return try await access.archive.diff(path: path, from: last.count > 1 ? last[1].id : nil, to: newest.id)
                case 1:
                    return try await access.archive.diff(path: path, from: revisions[0], to: nil)
                default:
                    return try await access.archive.diff(path: path, from: revisions[0], to: revisions[1])
                }
            }
            if !text.isEmpty { FileHandle.standardOutput.write(Data(text.utf8)) }
        }
    }

    /// Prints a stored configuration.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a device's stored configuration (latest, or at a revision).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The device.") var device: String
        @Argument(help: "A revision (commit id, HEAD~2, ...).") var revision: String?

        func run() async throws {
            let access = try ArchiveAccess(global: global)
            let (_, path) = try access.path(of: device)
            let text = try await access.use { try await access.archive.read(path: path, revision: revision) }
            guard let text else {
                Output.error("netraven: no stored configuration of \(device)\(revision.map { " at \($0)" } ?? "")")
                throw ExitCode(ExitStatus.partialFailure)
            }
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// Pushes the archive now.
    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Push the archive to its remote now (commits that an earlier push could not deliver go too).")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let configuration = try global.loadConfiguration()
            let service: CaptureService
            do {
                service = try CaptureService(configuration: configuration, logger: Logger(label: "netraven"))
            } catch {
                Output.error("netraven: \(error)")
                throw ExitCode(ExitStatus.usage)
            }
            let status = await service.push()
            await service.shutdown()
            Output.line("push: \(CaptureReport(json: false).pushText(status))")
            if case .failed = status { throw ExitCode(ExitStatus.partialFailure) }
        }
    }
}
