import Foundation
import NetRavenTestSupport
import Testing

/// scripts/bench/report, which turns the parts' JSON results into docs/benchmarks.md: medians and ratios in the
/// row's direction, parts that failed or did not run are named in the summary, runs are appended, quick runs stay out.
@Suite struct BenchReportTests {
    static let machine = #"{"cpu": "Test CPU", "cores": "2", "memory_gib": "4.0", "kernel": "6.1"}"#
    static let p1 = """
        {"id": "P1", "title": "syslog ingest", "commands": ["netraven run --config bench.yaml"],
         "rows": [
          {"measure": "zero-loss rate", "unit": "msg/s", "better": "higher", "ours": [300, 100, 200],
           "peer": "rsyslog", "peer_values": [50, 150, 100], "target": "≥ rsyslog", "target_met": true},
          {"measure": "CPU per message", "unit": "µs", "better": "lower", "ours": [9, 12, 10],
           "peer": "rsyslog", "peer_values": [5, 5, 5], "target": "≤ 8 µs", "target_met": false}],
         "notes": ["measured under no load"]}
        """

    func report(_ results: TemporaryDirectory, output: String, started: String, quick: Bool = false) throws {
        try tool(
            "python3",
            [PackagePaths.script("bench/report"), "--results", results.path, "--started", started,
             "--machine", Self.machine, "--output", output] + (quick ? ["--quick"] : []))
    }

    @Test func summaryRatiosFailuresAndAppendedRuns() throws {
        let results = try TemporaryDirectory(prefix: "bench-results")
        try results.write("P1.json", Self.p1)
        try results.write("failed-p2-traps.json", #"{"part": "p2-traps", "exit": 3, "log_tail": "snmptrapd: no"}"#)
        let docs = try TemporaryDirectory(prefix: "bench-docs")
        let output = docs.path + "/benchmarks.md"
        try report(results, output: output, started: "2026-01-01T00:00:00Z")
        try report(results, output: output, started: "2026-01-02T00:00:00Z")
        let text = try String(contentsOfFile: output, encoding: .utf8)

        let summary = try #require(text.components(separatedBy: "<!-- summary:end -->").first)
        #expect(summary.contains("Run of 2026-01-02T00:00:00Z"), "the summary is the latest run's")
        #expect(!summary.contains("2026-01-01"))
        // Medians 200 vs 100 (higher is better) and 10 vs 5 (lower is better).
        #expect(summary.contains("| P1 | zero-loss rate | 200 msg/s | rsyslog | 100 msg/s | 2.00× better | ≥ rsyslog | met |"))
        #expect(summary.contains("| P1 | CPU per message | 10.0 µs | rsyslog | 5.00 µs | 0.50× (worse) | ≤ 8 µs | **not met** |"))
        #expect(summary.contains("| P2 | p2-traps failed (exit 3)"))
        for missing in 3...7 { #expect(summary.contains("| P\(missing) | not run in this run |")) }

        // Both runs are kept, in order, with machine, commands, spreads and notes.
        let first = try #require(text.range(of: "### 2026-01-01T00:00:00Z — full run"))
        let second = try #require(text.range(of: "### 2026-01-02T00:00:00Z — full run"))
        #expect(first.lowerBound < second.lowerBound)
        #expect(text.contains("Machine: Test CPU, 2 cores, 4.0 GiB memory, Linux 6.1."))
        #expect(text.contains("netraven run --config bench.yaml"))
        #expect(text.contains("| zero-loss rate | msg/s | 100 / **200** / 300 | rsyslog | 50 / **100** / 150 | 3 |"))
        #expect(text.contains("- measured under no load"))
        #expect(text.contains("snmptrapd: no"))
    }

    @Test func quickRunsWriteOnlyTheirOwnFile() throws {
        let results = try TemporaryDirectory(prefix: "bench-results")
        try results.write("P1.json", Self.p1)
        let docs = try TemporaryDirectory(prefix: "bench-docs")
        try report(results, output: docs.path + "/quick.md", started: "2026-01-03T00:00:00Z", quick: true)
        let text = try String(contentsOfFile: docs.path + "/quick.md", encoding: .utf8)
        #expect(text.hasPrefix("### 2026-01-03T00:00:00Z — quick run"))
        #expect(!text.contains("summary:start"))
    }

    @Test func malformedResultsAreReportedNotSkipped() throws {
        let results = try TemporaryDirectory(prefix: "bench-results")
        try results.write("P3.json", #"{"id": "P3", "title": "latency", "commands": [], "rows": [{"measure": "p50"}]}"#)
        let docs = try TemporaryDirectory(prefix: "bench-docs")
        try report(results, output: docs.path + "/b.md", started: "2026-01-04T00:00:00Z")
        let text = try String(contentsOfFile: docs.path + "/b.md", encoding: .utf8)
        #expect(text.contains("rows[0] has no 'unit'"), "\(text)")
        #expect(text.contains("| P3 | P3 failed"))
    }
}
