import Foundation
import NetRavenCore
import NetRavenJournal
import NetRavenTestSupport
import Testing

/// `netraven events` and `netraven jobs` through the binary, on a journal the test writes.
@Suite struct JournalCommandTests {
    let directory: TemporaryDirectory
    let config: String

    init() throws {
        directory = try TemporaryDirectory()
        try directory.write(
            "inventory.yaml", "devices:\n  - {name: r1, host: 127.0.0.1, platform: cisco_ios, credentials: lab}\n")
        try directory.write("credentials.yaml", "credentials:\n  lab: {username: admin, password: pw-journal}\n")
        config = try directory.write(
            "netraven.yaml",
            "state_dir: state\nrules_dir: \(repositoryRules)\n"
                + "inventory: inventory.yaml\ncredentials: credentials.yaml\n"
        )
    }

    @Test func missingJournalSaysSo() throws {
        for command in ["events", "jobs"] {
            let run = try netraven([command, "--config", config])
            #expect(run.status == 1, "\(command): \(run.stderr)")
            #expect(run.stderr.contains("no journal at \(directory.path)/state/journal.sqlite yet"), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory.path + "/state/journal.sqlite"), "not created")
        }
    }

    @Test func listsEventsAndJobsAsTablesAndJSONLines() async throws {
        let journal = try EventJournal(path: directory.path + "/state/journal.sqlite")
        let time = Date(timeIntervalSince1970: 1_790_000_000)
        try await journal.record(
            ChangeEvent(
                id: "ev-1", kind: .syslog, device: "r1", user: "jdoe", source: "192.0.2.50", time: time,
                raw: "<189>%SYS-5-CONFIG_I: Configured from vty0 by jdoe", change: .committed,
                rule: "cisco_ios.config_i"),
            peer: "192.0.2.1:514", transport: "udp", receivedAt: time)
        try await journal.record(
            ChangeEvent(id: "ev-2", kind: .trap, device: "r2", time: time, change: .saved), peer: nil,
            transport: "trap",
            receivedAt: time.addingTimeInterval(1))
        try await journal.createJob(id: "job-1", device: "r1", trigger: .syslog, eventIDs: ["ev-1"], at: time)
        try await journal.markRunning(job: "job-1", at: time)
        try await journal.finish(job: "job-1", outcome: .committed(commit: "0123456789abcdef0123"), at: time)
        try await journal.createJob(id: "job-2", device: "r2", trigger: .trap, eventIDs: ["ev-2"], at: time)
        try await journal.finish(job: "job-2", outcome: .failed(code: "unreachable", reason: "no route"), at: time)

        let table = try netraven(["events", "--config", config])
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(table.stdout)")
        #expect(lines[0].hasPrefix("RECEIVED") && lines[0].contains("USER"))
        #expect(lines[1].contains("r2") && lines[1].contains("trap") && lines[1].contains("job-2"))
        #expect(lines[2].contains("jdoe") && lines[2].contains("192.0.2.50") && lines[2].contains("job-1"))

        let json = try netraven(["events", "--config", config, "--json", "--device", "r1"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stdout)")
        #expect(object["id"] as? String == "ev-1" && object["user"] as? String == "jdoe")
        #expect(object["job"] as? String == "job-1" && object["transport"] as? String == "udp")
        #expect(object["time"] as? String == "2026-09-21T14:13:20Z")
        #expect(object["commit"] is NSNull)

        let failed = try netraven(["jobs", "--config", config, "--state", "failed"])
        #expect(failed.status == 0, "\(failed.stderr)")
        #expect(failed.stdout.contains("job-2") && failed.stdout.contains("unreachable: no route"), "\(failed.stdout)")
        #expect(!failed.stdout.contains("job-1"))

        let jobs = try netraven(["jobs", "--config", config, "--json", "--limit", "1"])
        let job = try #require(
            try JSONSerialization.jsonObject(with: Data(jobs.stdout.utf8)) as? [String: Any], "\(jobs.stdout)")
        #expect(
            job["id"] as? String == "job-2" && job["attempts"] as? Int == 0 && job["events"] as? [String] == ["ev-2"])

        let committed = try netraven(["jobs", "--config", config, "--device", "r1"])
        #expect(
            committed.stdout.contains("0123456789ab") && committed.stdout.contains("committed"), "\(committed.stdout)")

        let bad = try netraven(["jobs", "--config", config, "--state", "done"])
        #expect(bad.status == 2)
        #expect(
            bad.stderr.contains("--state must be one of queued, running, committed, unchanged, failed"), "\(bad.stderr)"
        )
        let none = try netraven(["events", "--config", config, "--device", "r9"])
        #expect(none.status == 0 && none.stdout.contains("no events for r9"), "\(none.stdout)")
    }
}
