import Foundation
import NetRavenTestSupport
import Testing

/// The rsyslog snippet forwards only configuration-change messages: its `re_match` filters, run as POSIX extended
/// regexes (what rsyslog's re_match uses) by `grep -E`, must pass every line the syslog fixtures call a change and
/// none of the lines no rule knows (link up/down and other noise).
@Suite struct RsyslogFilterTests {
    @Test func forwardsEveryChangeLineAndNoNoise() throws {
        let grep = "/usr/bin/grep"
        try #require(FileManager.default.isExecutableFile(atPath: grep))
        let snippet = try String(
            contentsOfFile: PackagePaths.root + "/packaging/rsyslog/60-netraven.conf", encoding: .utf8)
        let filters = snippet.matches(of: /re_match\(\$rawmsg, "([^"]*)"\)/).map { String($0.output.1) }
        try #require(!filters.isEmpty, "no re_match filter in the snippet")
        let cases = try fixtureCases()
        let changes = cases.filter(\.change)
        let noise = cases.filter { !$0.change && $0.noRule } + [
            "<187>48216: Mar  4 09:15:00 UTC: %LINK-3-UPDOWN: Interface Gi0/1, changed state to down",
            "<190>Mar  4 09:15:00 r1 sshd[812]: Accepted publickey for admin from 192.0.2.9 port 50022 ssh2",
            "<190>48217: Mar  4 09:15:01 UTC: %SEC-6-IPACCESSLOGP: list 101 denied tcp 192.0.2.1(1234) -> 10.0.0.1(22)",
        ].map { FixtureCase(line: $0, change: false, noRule: true) }
        try #require(changes.count >= 40, "only \(changes.count) change lines found in rules/fixtures/syslog")

        let forwarded = try matching(changes.map(\.line) + noise.map(\.line), filters: filters, grep: grep)
        for line in changes.map(\.line) where !forwarded.contains(line) {
            Issue.record("a change line is not forwarded: \(line)")
        }
        for line in noise.map(\.line) where forwarded.contains(line) {
            Issue.record("a line no rule knows is forwarded: \(line)")
        }
    }

    struct FixtureCase {
        var line: String
        var change: Bool
        /// The fixture expects no rule to match at all (not merely a rule saying "not a change").
        var noRule: Bool
    }

    /// The `line:` / `expect:` pairs of rules/fixtures/syslog/*.yaml (single-quoted YAML scalars, one per line).
    private func fixtureCases() throws -> [FixtureCase] {
        let directory = PackagePaths.rules + "/fixtures/syslog"
        var cases: [FixtureCase] = []
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        for name in names where name.hasSuffix(".yaml") {
            var line: String?
            for text in try String(contentsOfFile: directory + "/" + name, encoding: .utf8).split(separator: "\n") {
                if let match = text.wholeMatch(of: /\s*-?\s*line: '(.*)'\s*/) {
                    line = String(match.output.1).replacingOccurrences(of: "''", with: "'")
                } else if let match = text.wholeMatch(of: /\s*expect: (.*)/), let current = line {
                    let expect = match.output.1
                    if !expect.contains("error:") {
                        cases.append(
                            FixtureCase(
                                line: current, change: expect.contains("change: true"),
                                noRule: expect.contains("rule: null")))
                    }
                    line = nil
                }
            }
        }
        return cases
    }

    /// The lines `grep -E` selects with any of the filters (each filter one -e pattern).
    private func matching(_ lines: [String], filters: [String], grep: String) throws -> Set<String> {
        let directory = try TemporaryDirectory()
        let input = try directory.write("lines", lines.joined(separator: "\n") + "\n")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: grep)
        process.arguments = ["-E"] + filters.flatMap { ["-e", $0] } + [input]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus <= 1, "grep failed")
        return Set(text.split(separator: "\n").map(String.init))
    }
}
