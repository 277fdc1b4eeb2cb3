import Foundation
import NetRavenLab
import NetRavenTestSupport
import Testing

/// The `netraven` binary as a user runs it, against the device lab.
@Suite struct CLITests {
    /// Writes a configuration for `endpoints` (with a wrong first password, to prove it never leaks) and returns its path.
    func writeConfiguration(in directory: TemporaryDirectory, endpoints: LabEndpoints) throws -> String {
        var inventory = "defaults:\n  credentials: [wrong, lab]\n  host_key_policy: tofu\ndevices:\n"
        for device in endpoints.devices {
            inventory += "  - {name: \(device.name), host: 127.0.0.1, port: \(device.port), platform: \(device.platform), group: lab, tags: [\(device.platform)]}\n"
        }
        try directory.write("inventory.yaml", inventory)
        try directory.write(
            "credentials.yaml",
            "credentials:\n  wrong:\n    username: admin\n    password: Wr0ng-Secret-Never-Logged\n"
                + "  lab:\n    username: admin\n    password: env:LAB_PASSWORD\n    enable: enable\n")
        return try directory.write(
            "netraven.yaml",
            """
            state_dir: state
            rules_dir: \(repositoryRules)
            inventory: inventory.yaml
            credentials: credentials.yaml
            collection: {connect_timeout: 30s, command_timeout: 30s, overall_timeout: 120s, retries: 0}
            logging: {level: debug}
            """)
    }

    func withLabAndConfig(devices: Int = 2, _ body: (Lab, String, TemporaryDirectory) async throws -> Void) async throws {
        let lab = try Lab(configuration: LabConfiguration(devices: devices, controlPort: nil))
        let endpoints = try await lab.start()
        let directory = try TemporaryDirectory()
        do {
            try await body(lab, try writeConfiguration(in: directory, endpoints: endpoints), directory)
            try await lab.shutdown()
        } catch {
            try? await lab.shutdown()
            throw error
        }
    }

    @Test func backupHistoryDiffShowAndExitCodes() async throws {
        try await withLabAndConfig { lab, config, _ in
            let env = ["LAB_PASSWORD": "admin"]
            let first = try netraven(["backup", "--config", config, "r1"], environment: env)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("r1") && first.stdout.contains("new"), "\(first.stdout)")
            #expect(!first.stderr.contains("Wr0ng-Secret-Never-Logged") && !first.stdout.contains("Wr0ng-Secret-Never-Logged"))
            #expect(first.stderr.contains("\"job\":"), "log lines carry the job id")

            let again = try netraven(["backup", "--config", config, "r1"], environment: env)
            #expect(again.status == 0)
            #expect(again.stdout.contains("unchanged"), "\(again.stdout)")

            lab.device(named: "r1")!.applyChange(LabConfigChange(user: "jdoe", add: ["logging host 192.0.2.99"]))
            let changed = try netraven(["backup", "--config", config, "--json", "r1"], environment: env)
            #expect(changed.status == 0)
            let line = try #require(changed.stdout.split(separator: "\n").first)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["result"] as? String == "changed")
            #expect(object["insertions"] as? Int == 1)

            let history = try netraven(["history", "--config", config, "r1"], environment: env)
            #expect(history.status == 0)
            #expect(history.stdout.split(separator: "\n").count == 2, "\(history.stdout)")
            #expect(history.stdout.contains("manual"))

            let diff = try netraven(["diff", "--config", config, "r1"], environment: env)
            #expect(diff.stdout.contains("+logging host 192.0.2.99"), "\(diff.stdout)")
            #expect(diff.stdout.contains("--- a/lab/r1.cfg"))

            let show = try netraven(["show", "--config", config, "r1"], environment: env)
            #expect(show.stdout.contains("logging host 192.0.2.99"))
            let old = try netraven(["show", "--config", config, "r1", "HEAD~1"], environment: env)
            #expect(!old.stdout.contains("logging host 192.0.2.99") && old.stdout.contains("hostname r1"))

            let unknown = try netraven(["backup", "--config", config, "nonesuch"], environment: env)
            #expect(unknown.status == 2)
            #expect(unknown.stderr.contains("no device, group or tag named nonesuch"))
        }
    }

    @Test func someFailedExitsOneAndNamesTheClass() async throws {
        try await withLabAndConfig { lab, config, _ in
            _ = try lab.device(named: "r2")!.update(faults: LabFaultUpdate(rejectAuth: true))
            let run = try netraven(["sweep", "--config", config], environment: ["LAB_PASSWORD": "admin"])
            #expect(run.status == 1)
            #expect(run.stdout.contains("r1") && run.stdout.contains("new"), "\(run.stdout)")
            #expect(run.stdout.contains("failed    authenticationFailed"), "\(run.stdout)")
            #expect(run.stdout.contains("failed authenticationFailed: 1"), "\(run.stdout)")
            for output in [run.stdout, run.stderr] {
                #expect(!output.contains("Wr0ng-Secret-Never-Logged"))
                #expect(!output.contains("password: admin"))
            }
        }
    }

    @Test func brokenConfigurationPointsAtTheLineAndExitsTwo() throws {
        let directory = try TemporaryDirectory()
        try directory.write("inventory.yaml", "devices:\n  - name: r1\n    host: 10.0.0.1\n    platfrom: cisco_ios\n    credentials: lab\n")
        try directory.write("credentials.yaml", "credentials:\n  lab: {username: a, password: b}\n")
        let config = try directory.write(
            "netraven.yaml", "state_dir: s\nrules_dir: \(repositoryRules)\ninventory: inventory.yaml\ncredentials: credentials.yaml\n")
        let run = try netraven(["check-config", "--config", config])
        #expect(run.status == 2)
        #expect(run.stderr.contains("\(directory.path)/inventory.yaml:4:5: unknown key 'platfrom'"), "\(run.stderr)")
        #expect(run.stderr.contains("inventory.yaml:2:5: device 'r1' has no platform"), "\(run.stderr)")
        let usage = try netraven(["history"])
        #expect(usage.status == 2)
    }
}
