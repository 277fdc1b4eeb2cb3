import Foundation
import NetRavenMetrics
import NetRavenTestSupport
import Testing

@Suite struct MetricsExpositionTests {
    /// Metrics recorded through the catalog, a collector copying snapshot totals, and the histogram: the exposition
    /// parses strictly, and names, types, labels and values are what docs/operations.md says.
    @Test func theExpositionParsesWithNamesTypesLabelsAndMonotonicBuckets() throws {
        let registry = MetricsRegistry()
        let catalog = registry.catalog
        catalog.eventsReceived(source: "syslog", transport: "udp").increment(by: Int64(3))
        catalog.eventsDropped(.rejectedSource).increment()
        catalog.captures(result: "committed").increment()
        catalog.captures(result: "failed", failureClass: "timeout").increment(by: Int64(2))
        catalog.captureQueue(.running).set(to: 2)
        catalog.outboxItems(kind: "s3-upload").set(to: 5)
        for seconds in [0.03, 0.2, 0.2, 7, 100] { catalog.eventToCommitLatency.record(seconds) }

        // A component's running total, restarting from zero in between: the counter only ever grows.
        let totals = Totals()
        let snapshots = SnapshotCounters()
        let token = registry.addCollector {
            snapshots.advance(catalog.eventsDropped(.oversized), key: "oversized", to: totals.value)
        }
        totals.value = 5
        _ = registry.exposition()
        totals.value = 3
        let text = registry.exposition()
        registry.removeCollector(token)
        totals.value = 100
        let afterRemoval = try PrometheusText(registry.exposition())

        let exposition = try PrometheusText(text)
        for family in exposition.families.values {
            #expect(family.name.hasPrefix("netraven_"), "\(family.name)")
            #expect(family.help?.isEmpty == false, "\(family.name) has help text")
            #expect((family.type == "counter") == family.name.hasSuffix("_total"), "\(family.name) \(family.type)")
        }
        let allowedLabels: Set<String> = ["source", "transport", "reason", "result", "class", "state", "kind", "le"]
        for sample in exposition.families.values.flatMap(\.samples) {
            #expect(Set(sample.labels.keys).isSubset(of: allowedLabels), "\(sample)")
        }
        #expect(exposition.families["netraven_event_to_commit_seconds"]?.type == "histogram")
        #expect(exposition.families["netraven_capture_queue"]?.type == "gauge")
        #expect(exposition.value("netraven_events_received_total", ["source": "syslog", "transport": "udp"]) == 3)
        #expect(exposition.value("netraven_events_dropped_total", ["reason": "oversized"]) == 8)
        #expect(afterRemoval.value("netraven_events_dropped_total", ["reason": "oversized"]) == 8)
        #expect(exposition.value("netraven_captures_total", ["result": "failed", "class": "timeout"]) == 2)
        #expect(exposition.value("netraven_captures_total", ["result": "committed", "class": "none"]) == 1)
        #expect(exposition.value("netraven_capture_queue", ["state": "running"]) == 2)
        #expect(exposition.value("netraven_capture_queue", ["state": "debouncing"]) == 0)
        #expect(exposition.value("netraven_outbox_items", ["kind": "s3-upload"]) == 5)
        #expect(exposition.value("netraven_push_failures_total") == 0)
        #expect(exposition.value("netraven_event_to_commit_seconds_count") == 5)
        #expect(exposition.value("netraven_event_to_commit_seconds_bucket", ["le": "0.05"]) == 1)
        #expect(exposition.value("netraven_event_to_commit_seconds_bucket", ["le": "0.25"]) == 3)
        #expect(exposition.value("netraven_event_to_commit_seconds_bucket", ["le": "60.0"]) == 4)
        #expect(exposition.value("netraven_event_to_commit_seconds_bucket", ["le": "+Inf"]) == 5)
    }

    /// The parser's checks can fail: broken lines, undeclared families, non-cumulative buckets are refused.
    @Test(arguments: [
        "# TYPE netraven_x_total counter\nnetraven_x_total{a=\"1\" 2\n",
        "netraven_undeclared_total 1\n",
        "# TYPE netraven_x_total counter\nnetraven_x_total one\n",
        "# TYPE netraven_h histogram\nnetraven_h_bucket{le=\"1\"} 3\nnetraven_h_bucket{le=\"+Inf\"} 2\nnetraven_h_count 2\n",
        "# TYPE netraven_h histogram\nnetraven_h_bucket{le=\"1\"} 1\nnetraven_h_bucket{le=\"+Inf\"} 2\nnetraven_h_count 3\n",
        "# HELP netraven_y help without a type\n",
    ])
    func theParserRefusesBrokenExpositions(text: String) {
        #expect(throws: PrometheusText.Problem.self) { try PrometheusText(text) }
    }
}

/// A value the test thread sets and the collector reads.
final class Totals: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = 0
    var value: Int {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
