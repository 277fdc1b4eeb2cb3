import Foundation
import NetRavenTestSupport
import Testing

@testable import NetRavenJournal

/// `kill -9` in the middle of a stream of writes loses nothing that `record` had returned for.
@Suite struct CrashDurabilityTests {
    /// The built `netraven-journal-probe`, next to the test bundle.
    static var probePath: String {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            let candidate = url.appendingPathComponent("netraven-journal-probe").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            url.deleteLastPathComponent()
        }
        return PackagePaths.root + "/.build/debug/netraven-journal-probe"
    }

    @Test func everyAcknowledgedEventSurvivesSIGKILL() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/journal.sqlite"
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: Self.probePath)
        // Far more than it can write before the kill, so the kill lands mid-stream.
        probe.arguments = [path, "10000000", "4"]
        let output = Pipe()
        probe.standardOutput = output
        probe.standardError = FileHandle.standardError
        probe.standardInput = FileHandle.nullDevice
        try probe.run()
        let pid = probe.processIdentifier
        let printed: [String]
        do {
            // The probe's own lines are the readiness signal: kill once 300 records have been acknowledged.
            printed = try await Self.readLines(from: output.fileHandleForReading, killing: pid, after: 300)
        } catch {
            stopServer(pid)
            throw error
        }
        let ids = printed.compactMap { $0.hasPrefix("recorded ") ? String($0.dropFirst("recorded ".count)) : nil }
        #expect(ids.count >= 300, "acknowledged before the kill: \(ids.count)")
        #expect(ids.count < 10_000_000, "the probe was killed mid-stream")

        let journal = try EventJournal(path: path)
        let integrity = try await journal.pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
        let stored = Set(try await journal.events(device: nil, limit: Int.max).map(\.event.id))
        let missing = ids.filter { !stored.contains($0) }
        #expect(missing.isEmpty, "acknowledged but lost: \(missing.prefix(10))")
        #expect(stored.count >= ids.count)
    }

    /// Reads lines on a dedicated thread (blocking reads stay off the cooperative pool); after `count` "recorded"
    /// lines sends SIGKILL, then drains what the probe wrote before it died and reaps it.
    static func readLines(from handle: FileHandle, killing pid: Int32, after count: Int) async throws -> [String] {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                var buffer = Data()
                var killed = false
                var lines: [String] = []
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    buffer.append(chunk)
                    // Only whole lines count: the probe writes each line in one write(2), so a kill never splits one.
                    while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                        lines.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                        buffer.removeSubrange(buffer.startIndex...newline)
                    }
                    if !killed && lines.count(where: { $0.hasPrefix("recorded ") }) >= count {
                        kill(pid, SIGKILL)
                        killed = true
                    }
                }
                stopServer(pid)
                if killed {
                    continuation.resume(returning: lines)
                } else {
                    continuation.resume(throwing: ProbeFailure(lines: lines))
                }
            }
            thread.start()
        }
    }

    struct ProbeFailure: Error, CustomStringConvertible {
        var lines: [String]
        var description: String { "the probe ended before it was killed; it printed: \(lines.suffix(5))" }
    }
}
