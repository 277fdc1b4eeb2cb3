import Foundation
import NetRavenJournal
import NetRavenLab
import NetRavenTestSupport
import Testing

/// Whether the long fault tests run (`make soak` sets it); they are too long for `make test`.
let soakEnabled = ProcessInfo.processInfo.environment["NETRAVEN_SOAK"] == "1"

/// A longer storm than `make test`'s: more devices, more lines, three SIGKILLs in a row before the final restart.
@Suite(.serialized, .enabled(if: soakEnabled)) struct DaemonKillStormSoakTests {
    @Test func threeKillsDuringALongStormLoseNoAcceptedEvent() async throws {
        let outcome = try await DaemonKillStorm(devices: 8, linesPerRound: 10_000, kills: 3, changeEvery: 100)
            .run(DaemonTests())
        print("soak kill storm: \(outcome.linesSent) lines sent, \(outcome.kills) SIGKILL, \(outcome.account)")
        #expect(outcome.kills == 3)
        #expect(outcome.missingAfterRestart.isEmpty, "accepted events lost: \(outcome.missingAfterRestart.count)")
        let detail = "\(outcome.account.unfinished.prefix(10)) \(outcome.account.unaccounted.prefix(10))"
        #expect(outcome.account.isComplete, "\(outcome.account): \(detail)\n\(outcome.finalLog)")
        #expect(outcome.account.committed > 0 && outcome.account.failed == 0, "\(outcome.account)")
    }
}

/// A noise flood (>= 100k syslog messages/s offered over UDP from the devices' own addresses) while 100 lab devices
/// change and send their change lines: every change must be captured, no device left behind — from its line, or by
/// the scheduled sweep when the flood cost the line (docs/testing.md: what this machine achieves).
@Suite(.serialized, .enabled(if: soakEnabled)) struct SyslogFloodSoakTests {
    static let devices = 100
    static let floodRate = 100_000
    static let floodSeconds = 20.0

    @Test func hundredChangesAreCapturedDuringANoiseFlood() async throws {
        // The daemon's UDP port is chosen first: the lab sends to it from each device's own address.
        let probe = try bindLoopbackSocket(Int32(SOCK_DGRAM.rawValue))
        close(probe.fd)
        let port = probe.port
        let addressBase = "127.0.40.1"
        let lab = try Lab(
            configuration: LabConfiguration(
                devices: Self.devices, controlPort: nil, addressPerDevice: addressBase,
                syslogTarget: LabNotifyTarget(host: "127.0.0.1", port: port)))
        let directory = try TemporaryDirectory(prefix: "netraven-flood")
        try await withStartedLab(lab) { endpoints in
            let config = try DaemonTests().writeAddressedLabConfiguration(
                in: directory, endpoints: endpoints,
                """
                collection: {concurrency: 16, connect_timeout: 60s, command_timeout: 60s, overall_timeout: 300s, retries: 2}
                debounce: {quiet: 300ms, max_delay: 5s}
                syslog: {udp: "127.0.0.1:\(port)"}
                sweep: {every: 1m}
                """)
            let daemon = try DaemonProcess(config: config, logPath: directory.path + "/daemon.log")
            #expect(daemon.waitUntilReady(), "\(daemon.log)")
            let dropsBefore = UDPSocketStats.drops(port: port)
            let bufferErrorsBefore = UDPSocketStats.receiveBufferErrors()

            // The flood runs on its own thread (the sender is a child process); the changes go on meanwhile.
            let bench = productsDirectory.appendingPathComponent("netraven-bench").path
            let arguments = [
                "flood-syslog", "--target", "127.0.0.1:\(port)", "--rate", String(Self.floodRate),
                "--duration", String(Self.floodSeconds), "--source-base", addressBase, "--sources", String(Self.devices),
            ]
            async let flood = runOnThread { try tool(bench, arguments) }
            // Spread the changes over the first half of the flood (pacing the load, not waiting for anything).
            let spacing = Int(Self.floodSeconds * 500) / Self.devices
            var changedAt: [String: Date] = [:]
            for (index, device) in endpoints.devices.enumerated() {
                try await Task.sleep(for: .milliseconds(spacing))
                changedAt[device.name] = Date()
                let line = device.platform == "juniper_junos"
                    ? "set system ntp server 10.88.\(index / 250).\(index % 250)"
                    : "ntp server 10.88.\(index / 250).\(index % 250)"
                lab.device(named: device.name)?.applyChange(LabConfigChange(user: "flood\(index)", add: [line]))
            }
            let flooded = try await flood
            let drops = UDPSocketStats.drops(port: port).map { $0 - (dropsBefore ?? 0) }
            let bufferErrors = UDPSocketStats.receiveBufferErrors().map { $0 - (bufferErrorsBefore ?? 0) }

            // Every device's change is in the archive: committed from its syslog line, or (when the flood cost the
            // line) by the scheduled sweep, the product's fallback (every minute here). The archive is the truth: a
            // sweep job created just before a change may collect after it and commit it, and later jobs are then
            // rightly unchanged, so no rule on job times decides it.
            let journalPath = directory.path + "/state/journal.sqlite"
            let archive = directory.path + "/state/archive.git"
            let expected = Dictionary(uniqueKeysWithValues: endpoints.devices.enumerated().map { index, device in
                (device.name, "server 10.88.\(index / 250).\(index % 250)")
            })
            var missing: [String] = []
            let deadline = ContinuousClock.now + .seconds(600)
            while ContinuousClock.now < deadline {
                let stored = try Self.archivedChanges(archive: archive, expected: expected)
                missing = endpoints.devices.map(\.name).filter { !stored.contains($0) }
                if missing.isEmpty { break }
                try await Task.sleep(for: .seconds(1))
            }
            let journal = try await EventJournal.open(path: journalPath)
            let jobs = try await journal.jobs(device: nil, state: .committed, limit: 100_000)
            let bySyslog = Set(jobs.filter { job in
                job.trigger == .syslog && (changedAt[job.device].map { job.createdAt > $0 } ?? false)
            }.map(\.device)).count
            let captured = missing.isEmpty
            // For a failure: the newest job of each device still missing (failed? never started? still queued?).
            var lastJobs: [String] = []
            for name in missing.prefix(10) {
                let job = try await EventJournal.open(path: journalPath).jobs(device: name, state: nil, limit: 1).first
                lastJobs.append("\(name): \(job.map { "\($0.trigger) \($0.state) \($0.failureCode ?? "")" } ?? "no job")")
            }
            print(
                "noise flood: \(flooded.stdout.trimmingCharacters(in: .whitespacesAndNewlines)); daemon socket drops "
                    + "\(drops.map(String.init) ?? "?"), host UDP RcvbufErrors \(bufferErrors.map(String.init) ?? "?"); "
                    + "changes captured \(Self.devices - missing.count)/\(Self.devices), "
                    + "\(bySyslog) from their syslog line, the rest by the fallback sweep")
            #expect(flooded.stdout.contains("\"sent\""), "\(flooded.stderr)")
            let dropped = drops.map(String.init) ?? "?"
            #expect(captured, "changes not captured on \(lastJobs): \(dropped) dropped\n\(daemon.log.suffix(4000))")
            #expect(daemon.signal(SIGTERM, waitForExit: true) == 0, "\(daemon.log.suffix(4000))")
        }
    }

    /// The devices whose configuration at the archive's HEAD holds their expected change line (one `git grep`).
    static func archivedChanges(archive: String, expected: [String: String]) throws -> Set<String> {
        let patterns = Set(expected.values).sorted().flatMap { ["-e", $0] }
        let arguments = ["--git-dir", archive, "grep", "-F"] + patterns + ["HEAD", "--", "lab/"]
        let output = try tool("git", arguments, check: false)
        var found: Set<String> = []
        // Lines read `HEAD:lab/r12.cfg:ntp server 10.88.0.11` (Junos: `server 10.88.0.11;` inside `ntp { }`).
        for line in output.stdout.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[1].hasPrefix("lab/"), parts[1].hasSuffix(".cfg") else { continue }
            let name = String(parts[1].dropFirst(4).dropLast(4))
            let text = parts[2].trimmingCharacters(in: .whitespaces)
            if let change = expected[name], text.hasSuffix(change) || text.hasSuffix(change + ";") {
                found.insert(name)
            }
        }
        return found
    }
}

/// Runs blocking work (a child process to its end) on a thread of its own, off the cooperative pool.
func runOnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// Kernel UDP counters: per-socket drops (`/proc/net/udp`) and the host's receive-buffer errors (`/proc/net/snmp`).
enum UDPSocketStats {
    /// Datagrams the kernel dropped for the IPv4 socket bound to 127.0.0.1:`port` (its receive buffer was full).
    static func drops(port: Int) -> Int? {
        // An IPv4 socket, or a dual-stack IPv6 one bound to the IPv4-mapped address.
        let tables = [("/proc/net/udp", "0100007F"), ("/proc/net/udp6", "0000000000000000FFFF00000100007F")]
        for (file, address) in tables {
            guard let table = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            let local = address + String(format: ":%04X", port)
            let rows = table.split(separator: "\n").map { $0.split(separator: " ") }
            if let row = rows.first(where: { $0.count > 12 && $0[1] == local }), let drops = Int(row[row.count - 1]) {
                return drops
            }
        }
        return nil
    }

    /// `Udp: RcvbufErrors` for the whole host (other programs count too).
    static func receiveBufferErrors() -> Int? {
        guard let snmp = try? String(contentsOfFile: "/proc/net/snmp", encoding: .utf8) else { return nil }
        let rows = snmp.split(separator: "\n").filter { $0.hasPrefix("Udp:") }.map { $0.split(separator: " ") }
        guard rows.count >= 2, let column = rows[0].firstIndex(of: "RcvbufErrors") else { return nil }
        return Int(rows[1][column])
    }
}
