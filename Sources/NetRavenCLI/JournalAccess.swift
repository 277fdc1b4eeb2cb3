import ArgumentParser
import Foundation
import NetRavenAgent
import NetRavenCore
import NetRavenJournal

/// Opens the journal for `netraven events` and `netraven jobs`; never creates one.
struct JournalAccess {
    let journal: EventJournal

    init(global: GlobalOptions) async throws {
        let configuration = try global.loadConfiguration()
        let layout = ArchiveLayout(
            stateDirectory: configuration.settings.stateDirectory,
            pathTemplate: configuration.settings.archive.pathTemplate)
        let path = layout.journal
        guard FileManager.default.fileExists(atPath: path) else {
            Output.error("netraven: no journal at \(path) yet; the daemon ('netraven run') writes it")
            throw ExitCode(ExitStatus.partialFailure)
        }
        do {
            journal = try await EventJournal.open(path: path)
        } catch {
            Output.error("netraven: \(error)")
            throw ExitCode(ExitStatus.partialFailure)
        }
    }

    /// Runs a query; journal errors become a message and exit 1.
    func query<T>(_ body: (EventJournal) async throws -> T) async throws -> T {
        do {
            return try await body(journal)
        } catch {
            Output.error("netraven: \(error)")
            throw ExitCode(ExitStatus.partialFailure)
        }
    }
}

/// The filters `events` and `jobs` share.
struct JournalListOptions: ParsableArguments {
    @Option(name: .long, help: "Only this device's entries.") var device: String?
    @Option(name: .long, help: "Show at most this many entries (newest first).") var limit = 50

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }
}

/// One JSON object per line, keys in the order given; nil values are `null`.
func jsonLine(_ fields: [(String, String?)]) -> String {
    "{" + fields.map { "\(jsonString($0.0)):\($0.1.map(jsonString) ?? "null")" }.joined(separator: ",") + "}"
}

/// Columns padded to their widest cell, for people reading a terminal.
struct TextTable {
    let header: [String]
    var rows: [[String]] = []

    init(_ header: [String]) {
        self.header = header
    }

    mutating func add(_ row: [String]) {
        rows.append(row)
    }

    var lines: [String] {
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        return ([header] + rows).map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
    }
}

/// Dates in listings: ISO 8601 in UTC, to the second.
func listingDate(_ date: Date) -> String {
    date.formatted(.iso8601)
}
