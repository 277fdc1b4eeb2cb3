import Foundation
import NetRavenTestSupport
import Testing

/// `netraven rules test` through the built binary, as a network engineer runs it.
@Suite struct RulesTestCommandTests {
    func objects(_ run: CLIRun) throws -> [[String: Any]] {
        try run.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
    }

    @Test func oneJSONObjectPerLineWithNullsAndErrors() throws {
        let input = [
            "<189>48213: Mar  4 09:12:44.512 UTC: %SYS-5-CONFIG_I: "
                + "Configured from console by admin on vty0 (10.0.0.5)\r",
            "this is not syslog",
            "<189>Mar  4 09:12:44 r1 mgd[1234]: UI_CMDLINE_READ_LINE: User 'admin', command 'show configuration '",
            "",
            "<189>1 2024-03-04T09:12:44.512Z r1 mgd 1234 UI_COMMIT [junos@2636.1.1.1.2.21 username=\"admin\"] "
                + "User 'admin' requested 'commit' operation (comment: none)",
        ].joined(separator: "\n")
        let run = try netraven(["rules", "test", "--rules-dir", repositoryRules], stdin: input)
        #expect(run.status == 0, "\(run.stderr)")
        let results = try objects(run)
        try #require(results.count == 5, "\(run.stdout)")
        let keys: Set<String> = ["change", "kind", "platform", "host", "user", "source", "commit", "rule"]
        for result in results { #expect(keys.isSubset(of: Set(result.keys)), "\(result)") }

        #expect(results[0]["change"] as? Bool == true)
        #expect(results[0]["kind"] as? String == "committed")
        #expect(results[0]["user"] as? String == "admin")
        #expect(results[0]["source"] as? String == "10.0.0.5")
        #expect(results[0]["host"] is NSNull && results[0]["commit"] is NSNull)
        #expect(results[0]["rule"] as? String == "cisco_ios.config_i")

        #expect(results[1]["change"] as? Bool == false && results[1]["error"] as? String == "missingPriority")
        #expect(results[2]["change"] as? Bool == false && results[2]["rule"] as? String == "juniper_junos.cmdline")
        #expect(results[3]["error"] as? String == "empty")
        #expect(results[4]["change"] as? Bool == true && results[4]["platform"] as? String == "juniper_junos")
        #expect(results[4]["host"] as? String == "r1")
    }

    @Test func platformRestrictsTheRules() throws {
        let line =
            "<189>May 15 20:10:49 arista1 Cli: %SYS-5-CONFIG_I: Configured from console by admin on vty3 (10.1.4.14)\n"
        let eos = try objects(
            try netraven(["rules", "test", "--rules-dir", repositoryRules, "--platform", "arista_eos"], stdin: line))
        #expect(eos.first?["platform"] as? String == "arista_eos" && eos.first?["change"] as? Bool == true)
        let junos = try objects(
            try netraven(["rules", "test", "--rules-dir", repositoryRules, "--platform", "juniper_junos"], stdin: line))
        #expect(junos.first?["change"] as? Bool == false && junos.first?["rule"] is NSNull)
        let unknown = try netraven(
            ["rules", "test", "--rules-dir", repositoryRules, "--platform", "nonesuch"], stdin: line)
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown platform 'nonesuch'"), "\(unknown.stderr)")
    }

    @Test func userRulesDirectoryWithProblemsIsRefusedWithPositions() throws {
        let directory = try TemporaryDirectory()
        try directory.write(
            "syslog/my_os.yaml", "rules:\n  - name: r\n    platforms: [my_os]\n    match: 'x'\n    kinds: saved\n")
        let run = try netraven(["rules", "test", "--rules-dir", directory.path], stdin: "<13>x\n")
        #expect(run.status == 2)
        #expect(run.stderr.contains("syslog/my_os.yaml:5:5: unknown key 'kinds' in rules[0]"), "\(run.stderr)")
    }

    @Test func aUsersOwnRuleWorks() throws {
        let directory = try TemporaryDirectory()
        try directory.write(
            "syslog/my_os.yaml",
            "rules:\n  - name: saved\n    platforms: [my_os]\n"
                + "    match: 'SAVED by (?<user>\\w+) from (?<source>\\S+)'\n"
                + "    kind: saved\n")
        let run = try netraven(
            ["rules", "test", "--rules-dir", directory.path],
            stdin: "<13>Mar  4 09:12:44 box SAVED by eve from 192.0.2.7\n")
        let result = try #require(try objects(run).first)
        #expect(result["kind"] as? String == "saved" && result["user"] as? String == "eve")
        #expect(result["source"] as? String == "192.0.2.7" && result["host"] as? String == "box")
        #expect(result["platform"] as? String == "my_os" && result["rule"] as? String == "my_os.saved")
    }

    @Test func checkConfigValidatesSyslogRules() throws {
        let directory = try TemporaryDirectory()
        try directory.write("rules/platforms/my_os.yaml", "prompt: '#$'\ncommands:\n  running: show run\n")
        try directory.write(
            "rules/syslog/my_os.yaml", "rules:\n  - name: r\n    platforms: [my_os]\n    match: 'x'\n    kind: saved\n")
        try directory.write(
            "inventory.yaml", "devices:\n  - {name: r1, host: 10.0.0.1, platform: my_os, credentials: lab}\n")
        try directory.write("credentials.yaml", "credentials:\n  lab: {username: a, password: b}\n")
        let config = try directory.write(
            "netraven.yaml",
            "state_dir: s\nrules_dir: rules\ninventory: inventory.yaml\ncredentials: credentials.yaml\n")
        let good = try netraven(["check-config", "--config", config])
        #expect(good.status == 0 && good.stdout.contains("1 syslog rules"), "\(good.stdout)\(good.stderr)")
        #expect(good.stdout.contains("0 trap rules"), "\(good.stdout)")

        try directory.write(
            "rules/syslog/my_os.yaml", "rules:\n  - name: r\n    platforms: [my_os]\n    match: '(x'\n    kind: saved\n"
        )
        let bad = try netraven(["check-config", "--config", config])
        #expect(bad.status == 2)
        #expect(
            bad.stderr.contains("rules/syslog/my_os.yaml:4:12: rules[0].match is not a valid regular expression"),
            "\(bad.stderr)")
    }
}
