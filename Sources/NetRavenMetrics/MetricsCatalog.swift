public import Prometheus

/// Every metric NetRaven exposes, named `netraven_*`, with its help text; docs/operations.md lists them.
///
/// Labels are bounded: transports, trap versions, drop reasons, capture results and failure classes, queue states,
/// outbox kinds. No series is labelled with a device name, so the series count does not grow with the inventory.
public struct MetricsCatalog: Sendable {
    /// Upper bounds of the event→commit latency buckets, in seconds: a debounced capture takes from well under a
    /// second (lab) to a minute (slow device, long quiet period).
    public static let latencyBuckets: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60]

    /// Why a received message or trap did not become a capture (the `reason` label of `netraven_events_dropped_total`).
    public enum DropReason: String, Sendable, CaseIterable {
        /// From an address that is neither an inventory device nor a relay.
        case rejectedSource = "rejected_source"
        /// Longer than `syslog.max_message_bytes`.
        case oversized
        /// A TCP/TLS framing error (bad octet count, stream cut mid-message, TLS failure).
        case malformedFraming = "malformed_framing"
        /// A syslog message that could not be parsed.
        case malformedMessage = "malformed_message"
        /// A v1/v2c trap with an unknown community.
        case badCommunity = "bad_community"
        /// A v3 trap USM refused (unknown user or engine id, wrong keys).
        case usmFailure = "usm_failure"
        /// A PDU that is not a trap or inform, or has no snmpTrapOID.
        case malformedTrap = "malformed_trap"
        /// Classified: not a configuration change (login, interface flap).
        case notAChange = "not_a_change"
        /// From a relay, naming no inventory device.
        case unresolved
        /// An event id the journal already held (a retransmission).
        case duplicate
        /// For a device removed from the inventory since (kept in the journal, not captured).
        case unknownDevice = "unknown_device"
        /// The journal could not record it: the event is lost. Alert on any.
        case journalFailure = "journal_failure"
    }

    /// A capture job's state in the coordinator (the `state` label of `netraven_capture_queue`).
    public enum QueueState: String, Sendable, CaseIterable {
        case debouncing, queued, running
    }

    private let registry: PrometheusCollectorRegistry

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        // Declared up front so a scrape shows every family (at zero) before the first event.
        for state in QueueState.allCases { _ = captureQueue(state) }
        _ = eventToCommitLatency
        _ = pushFailures
        _ = pushes
        _ = uploadFailures
        _ = eventsAccepted
    }

    private static func name(_ metricName: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "netraven", metricName: metricName, unitName: unit, helpText: help)
    }

    // MARK: Events

    /// `netraven_events_received_total{source,transport}`: syslog messages (`source="syslog"`, transport udp, tcp,
    /// tls) and traps (`source="snmp"`, transport v1, v2c, v3) accepted by a listener.
    public func eventsReceived(source: String, transport: String) -> Counter {
        registry.makeCounter(
            descriptor: Self.name(
                "events_received", unit: "total", help: "Syslog messages and SNMP traps accepted by a listener."),
            labels: [("source", source), ("transport", transport)])
    }

    /// `netraven_events_accepted_total`: change events journaled (each leads to a capture).
    public var eventsAccepted: Counter {
        registry.makeCounter(
            descriptor: Self.name(
                "events_accepted", unit: "total", help: "Configuration-change events journaled for a capture."))
    }

    /// `netraven_events_dropped_total{reason}`: received messages that did not become a capture, by why.
    public func eventsDropped(_ reason: DropReason) -> Counter {
        registry.makeCounter(
            descriptor: Self.name(
                "events_dropped", unit: "total",
                help: "Received messages and traps that did not lead to a capture, by reason."),
            labels: [("reason", reason.rawValue)])
    }

    /// `netraven_syslog_connections_refused_total`: TCP/TLS connections closed because `max_connections` were open.
    public var syslogConnectionsRefused: Counter {
        registry.makeCounter(
            descriptor: Self.name(
                "syslog_connections_refused", unit: "total",
                help: "Syslog TCP/TLS connections refused because max_connections were open."))
    }

    /// `netraven_syslog_connections_open`: TCP/TLS syslog connections open now.
    public var syslogConnectionsOpen: Gauge {
        registry.makeGauge(
            descriptor: Self.name("syslog_connections_open", unit: "", help: "Syslog TCP/TLS connections open now."))
    }

    // MARK: Captures

    /// `netraven_captures_total{result,class}`: finished captures; `result` committed, unchanged or failed, `class`
    /// the failure class (`none` unless failed).
    public func captures(result: String, failureClass: String = "none") -> Counter {
        registry.makeCounter(
            descriptor: Self.name(
                "captures", unit: "total", help: "Finished captures by result and failure class."),
            labels: [("result", result), ("class", failureClass)])
    }

    /// `netraven_capture_queue{state}`: devices debouncing, jobs queued for a free session, jobs running.
    public func captureQueue(_ state: QueueState) -> Gauge {
        registry.makeGauge(
            descriptor: Self.name(
                "capture_queue", unit: "", help: "Capture work in the coordinator: debouncing, queued, running."),
            labels: [("state", state.rawValue)])
    }

    /// `netraven_event_to_commit_seconds`: from the first event of a job being received to its commit.
    public var eventToCommitLatency: ValueHistogram {
        registry.makeValueHistogram(
            descriptor: Self.name(
                "event_to_commit", unit: "seconds",
                help: "Seconds from receiving a job's first change event to committing the change."),
            buckets: Self.latencyBuckets)
    }

    /// `netraven_pushes_total`: archive pushes that sent commits.
    public var pushes: Counter {
        registry.makeCounter(
            descriptor: Self.name("pushes", unit: "total", help: "Archive pushes that sent commits to the remote."))
    }

    /// `netraven_push_failures_total`: archive pushes that failed (the commits stay local until the next push).
    public var pushFailures: Counter {
        registry.makeCounter(
            descriptor: Self.name("push_failures", unit: "total", help: "Archive pushes that failed."))
    }

    // MARK: Fed by the outbox and uploads

    /// `netraven_outbox_items{kind}`: items waiting in the durable outbox, per kind (`s3-upload`, `alert`, `push`).
    public func outboxItems(kind: String) -> Gauge {
        registry.makeGauge(
            descriptor: Self.name("outbox_items", unit: "", help: "Items waiting in the outbox, by kind."),
            labels: [("kind", kind)])
    }

    /// `netraven_upload_failures_total`: S3 upload attempts that failed (each is retried by the outbox).
    public var uploadFailures: Counter {
        registry.makeCounter(
            descriptor: Self.name("upload_failures", unit: "total", help: "S3 upload attempts that failed."))
    }

    // MARK: Logging

    /// `netraven_log_lines_dropped_total`: log lines dropped because the log writer's queue was full.
    public var logLinesDropped: Counter {
        registry.makeCounter(
            descriptor: Self.name(
                "log_lines_dropped", unit: "total", help: "Log lines dropped because the log queue was full."))
    }
}
