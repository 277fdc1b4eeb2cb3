import Foundation
import NetRavenAgent
import NetRavenCore
import NetRavenJournal
import NetRavenLab
import NetRavenTestSupport
import Testing

/// `netraven run` as a process: crash durability, reload, graceful stop.
@Suite(.serialized) struct DaemonTests {
    /// A configuration for the lab with a syslog TCP listener on a free port and a short debounce.
    func writeDaemonConfiguration(in directory: TemporaryDirectory, endpoints: LabEndpoints, extraDevice: String = "") throws -> String {
        var inventory = "defaults:\n  credentials: lab\ndevices:\n"
        for device in endpoints.devices {
            inventory += "  - {name: \(device.name), host: 127.0.0.1, port: \(device.port), platform: \(device.platform), group: lab}\n"
        }
        try directory.write("inventory.yaml", inventory + extraDevice)
        try directory.write("credentials.yaml", "credentials:\n  lab:\n    username: admin\n    password: admin\n    enable: enable\n")
        return try directory.write(
            "netraven.yaml",
            """
            state_dir: state
            rules_dir: \(repositoryRules)
            inventory: inventory.yaml
            credentials: credentials.yaml
            collection: {concurrency: 4, connect_timeout: 30s, command_timeout: 30s, overall_timeout: 120s, retries: 0}
            debounce: {quiet: 300ms, max_delay: 3s}
            syslog:
              tcp: "127.0.0.1:0"
            sweep: {enabled: false}
            logging: {level: info}
            """)
    }

    func withLab(devices: Int, _ body: (Lab, LabEndpoints, TemporaryDirectory) async throws -> Void) async throws {
        let lab = try Lab(configuration: LabConfiguration(devices: devices, controlPort: nil))
        let directory = try TemporaryDirectory(prefix: "netraven-daemon")
        try await withStartedLab(lab) { endpoints in try await body(lab, endpoints, directory) }
    }

    /// Polls the journal (a reader beside the daemon, WAL) until `done` holds, for at most two minutes.
    func waitForJournal(_ path: String, _ done: (EventJournal) async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            if FileManager.default.fileExists(atPath: path), try await done(try await EventJournal.open(path: path)) {
                return true
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    /// The change message a device of `platform` logs (hostname included: all lab devices share 127.0.0.1).
    static func changeLine(_ device: LabEndpoints.Device, user: String, n: Int) -> String {
        let header = "<189>Nov 21 10:00:00 \(device.name)"
        switch device.platform {
        case "cisco_nxos":
            return "\(header) %VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by \(user) on 10.0.0.\(n % 250)@pts/0"
        case "juniper_junos":
            return "\(header) mgd[1234]: UI_COMMIT: User '\(user)' requested 'commit' operation (comment: none)"
        default:
            return "\(header) %SYS-5-CONFIG_I: Configured from console by \(user) on vty0 (10.0.0.\(n % 250))"
        }
    }

    /// SIGKILL mid-storm, restart: every event the daemon journaled (accepted) survives and ends in a commit that
    /// is on the archive's branch, an unchanged capture or a recorded failure, counted one by one.
    @Test func aKilledDaemonLosesNoAcceptedEvent() async throws {
        let outcome = try await DaemonKillStorm(devices: 4, linesPerRound: 2000, kills: 1).run(self)
        print("kill storm: \(outcome.linesSent) lines sent, \(outcome.kills) SIGKILL, \(outcome.account)")
        #expect(outcome.kills == 1)
        #expect(outcome.linesSent > 2000 / 3, "the storm went on until the kill")
        #expect(!outcome.acceptedBeforeRestarts.isEmpty)
        #expect(outcome.missingAfterRestart.isEmpty, "accepted events lost: \(outcome.missingAfterRestart.sorted())")
        let detail = "\(outcome.account.unfinished.prefix(10)) \(outcome.account.unaccounted.prefix(10))"
        #expect(outcome.account.isComplete, "\(outcome.account): \(detail)\n\(outcome.finalLog)")
        #expect(outcome.account.committed > 0)
        #expect(outcome.account.failed == 0, "lab devices do not fail: \(outcome.account)\n\(outcome.finalLog)")
    }

    @Test func reloadRefusesABrokenInventoryKeepsListeningAndTakesAValidOne() async throws {
        try await withLab(devices: 2) { lab, endpoints, directory in
            let config = try writeDaemonConfiguration(in: directory, endpoints: endpoints)
            let daemon = try DaemonProcess(config: config, logPath: directory.path + "/daemon.log")
            #expect(daemon.waitUntilReady(), "\(daemon.log)")
            // A broken inventory: the reload is refused with file:line:column and the old one stays in force.
            _ = try writeDaemonConfiguration(
                in: directory, endpoints: endpoints, extraDevice: "  - {name: r9, host: 10.0.0.9, platform: nope}\n")
            _ = daemon.signal(SIGHUP, waitForExit: false)
            let journalPath = directory.path + "/state/journal.sqlite"
            let deadline = Date().addingTimeInterval(60)
            while !daemon.log.contains("reload refused") && Date() < deadline { usleep(50_000) }
            #expect(daemon.log.contains("reload refused"), "\(daemon.log)")
            #expect(daemon.log.contains("inventory.yaml:"), "the refusal names the file and line")
            // Still listening, still capturing, on the same port.
            lab.device(named: "r2")?.applyChange(LabConfigChange(user: "zoe", add: ["snmp-server location lab"]))
            let sender = try SyslogTCPSender(port: try #require(daemon.ports.syslogTCP))
            #expect(sender.send(Self.changeLine(endpoints.devices[1], user: "zoe", n: 1)))
            let captured = try await waitForJournal(journalPath) { journal in
                try await journal.jobs(device: "r2", state: .committed, limit: 10).count == 1
            }
            #expect(captured, "\(daemon.log)")
            // A valid change is taken: one more device, listeners untouched.
            _ = try writeDaemonConfiguration(
                in: directory, endpoints: endpoints,
                extraDevice: "  - {name: r9, host: 10.0.0.9, platform: cisco_ios, group: lab}\n")
            _ = daemon.signal(SIGHUP, waitForExit: false)
            while !daemon.log.contains("configuration reloaded") && Date() < deadline.addingTimeInterval(60) {
                usleep(50_000)
            }
            #expect(daemon.log.contains(#""message":"configuration reloaded","devices":"3""#), "\(daemon.log)")
            #expect(daemon.signal(SIGTERM, waitForExit: true) == 0, "\(daemon.log)")
            #expect(daemon.log.contains("netraven stopped"))
        }
    }

    @Test func labChangesAreCapturedWithUserAndSourceFromTheirSyslogAndTraps() async throws {
        // The daemon's UDP ports are chosen first: the lab sends to them from each device's own address.
        let syslogSocket = try bindLoopbackSocket(Int32(SOCK_DGRAM.rawValue))
        let trapSocket = try bindLoopbackSocket(Int32(SOCK_DGRAM.rawValue))
        close(syslogSocket.fd)
        close(trapSocket.fd)
        let lab = try Lab(
            configuration: LabConfiguration(
                devices: 4, controlPort: nil, password: "Lab-Pass-1", addressPerDevice: "127.0.20.1",
                syslogTarget: LabNotifyTarget(host: "127.0.0.1", port: syslogSocket.port),
                trapTarget: LabNotifyTarget(host: "127.0.0.1", port: trapSocket.port)))
        let directory = try TemporaryDirectory(prefix: "netraven-daemon")
        let apiPort = try freeLoopbackPort()
        try await withStartedLab(lab) { endpoints in
            let config = try writeAddressedLabConfiguration(
                in: directory, endpoints: endpoints, password: "Lab-Pass-1",
                """
                collection: {connect_timeout: 30s, command_timeout: 30s, overall_timeout: 120s, retries: 0}
                debounce: {quiet: 500ms, max_delay: 5s}
                syslog: {udp: "127.0.0.1:\(syslogSocket.port)"}
                snmp: {listen: "127.0.0.1:\(trapSocket.port)", communities: [public]}
                sweep: {enabled: false}
                api: {listen: "127.0.0.1:\(apiPort)", metrics: open}
                """)
            #expect(try netraven(["sweep", "--config", config]).status == 0)
            let daemon = try DaemonProcess(config: config, logPath: directory.path + "/daemon.log")
            #expect(daemon.waitUntilReady(), "\(daemon.log)")
            lab.device(named: "r1")?.applyChange(LabConfigChange(user: "jdoe", source: "10.1.1.5", add: ["ip domain-name lab.example"]))
            lab.device(named: "r4")?.applyChange(LabConfigChange(user: "alice", add: ["set system domain-name lab.example"]))
            let journalPath = directory.path + "/state/journal.sqlite"
            let captured = try await waitForJournal(journalPath) { journal in
                let committed = try await journal.jobs(device: nil, state: .committed, limit: 100)
                return Set(committed.filter { $0.trigger != .sweep }.map(\.device)) == ["r1", "r4"]
            }
            #expect(captured, "\(daemon.log)")
            let journal = try await EventJournal.open(path: journalPath)
            let r1Events = try await journal.events(device: "r1", limit: 10).map(\.event)
            #expect(Set(r1Events.map(\.kind)) == [.syslog, .trap], "IOS sends CONFIG_I and ciscoConfigManEvent")
            #expect(r1Events.contains { $0.user == "jdoe" && $0.source == "10.1.1.5" })
            #expect(try await journal.events(device: "r4", limit: 10).contains { $0.event.user == "alice" })

            // What Prometheus scrapes from the running daemon says the same: messages and traps received, events
            // accepted, two changed captures, their event→commit latencies observed.
            let scrape = try tool("curl", ["--silent", "--show-error", "--fail", "http://127.0.0.1:\(apiPort)/metrics"])
            let samples = prometheusSamples(scrape.stdout)
            #expect(samples[#"netraven_events_received_total{source="syslog",transport="udp"}"#] ?? 0 >= 2, "\(scrape.stdout)")
            #expect(samples[#"netraven_events_received_total{source="snmp",transport="v2c"}"#] ?? 0 >= 1, "\(scrape.stdout)")
            #expect(samples["netraven_events_accepted_total"] ?? 0 >= 3, "\(scrape.stdout)")
            #expect(samples[#"netraven_captures_total{result="committed",class="none"}"#] ?? 0 >= 2, "\(scrape.stdout)")
            #expect(samples["netraven_event_to_commit_seconds_count"] ?? 0 >= 2, "\(scrape.stdout)")
            #expect(daemon.signal(SIGTERM, waitForExit: true) == 0, "\(daemon.log)")

            // The archive: one commit per change, authored by the engineer, with the events in its trailers.
            let history = try netraven(["history", "r1", "--config", config, "--json"])
            #expect(history.stdout.contains("jdoe"), "\(history.stdout)")
            let log = try gitLog(directory.path + "/state/archive.git", "lab/r1.cfg")
            #expect(log.contains("Author: jdoe"), "\(log)")
            #expect(log.contains("Trigger: syslog") || log.contains("Trigger: trap"), "\(log)")
            #expect(log.contains("Changed-From: 10.1.1.5"), "\(log)")
            #expect(log.components(separatedBy: "Event-Id:").count - 1 == 2, "the syslog line and the trap, in one commit")
        }
    }

    /// Prometheus text exposition as `series -> value` (comments skipped; labels kept as written).
    func prometheusSamples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    /// A configuration for a lab started with per-device addresses (each device's `host` is its own loopback
    /// address); `settings` are the `netraven.yaml` lines after state, rules, inventory and credentials.
    func writeAddressedLabConfiguration(
        in directory: TemporaryDirectory, endpoints: LabEndpoints, password: String = "admin", _ settings: String
    ) throws -> String {
        var inventory = "defaults:\n  credentials: lab\ndevices:\n"
        for device in endpoints.devices {
            let host = try #require(device.host)
            inventory += "  - {name: \(device.name), host: \(host), port: \(device.port), platform: \(device.platform), group: lab}\n"
        }
        try directory.write("inventory.yaml", inventory)
        try directory.write(
            "credentials.yaml", "credentials:\n  lab:\n    username: admin\n    password: \(password)\n    enable: enable\n")
        return try directory.write(
            "netraven.yaml",
            "state_dir: state\nrules_dir: \(repositoryRules)\ninventory: inventory.yaml\ncredentials: credentials.yaml\n"
                + settings)
    }

    /// The newest commit touching `path`: author and full message.
    func gitLog(_ repository: String, _ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["--git-dir", repository, "log", "-1", "--format=Author: %an%n%B", "--", path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text
    }
}
