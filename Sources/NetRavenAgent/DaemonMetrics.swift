import NetRavenCore
import NetRavenMetrics
import NetRavenSNMP
import NetRavenSyslog

/// Copies the daemon's running totals (syslog listener, trap receiver, event classification, log writer) into the
/// Prometheus registry before each exposition. Those components count under their own locks for their logs and
/// tests; reading their snapshots at scrape time keeps their hot paths free of metrics code.
struct DaemonMetrics {
    let registry: MetricsRegistry
    let syslog: SyslogListener
    let trapReceiver: TrapReceiver?
    let ingest: EventIngest

    /// Registers the collector; the returned token removes it when the daemon stops.
    func register() -> Int {
        let snapshots = SnapshotCounters()
        return registry.addCollector { [self] in collect(into: snapshots) }
    }

    private func collect(into snapshots: SnapshotCounters) {
        let catalog = registry.catalog
        typealias Reason = MetricsCatalog.DropReason
        func dropped(_ reason: Reason, _ source: String, _ total: Int) {
            snapshots.advance(catalog.eventsDropped(reason), key: "\(source).\(reason.rawValue)", to: total)
        }

        let listener = syslog.counters
        for transport in [SyslogTransport.udp, .tcp, .tls] {
            snapshots.advance(
                catalog.eventsReceived(source: "syslog", transport: transport.rawValue),
                key: "syslog.\(transport.rawValue)", to: listener.received(transport))
        }
        dropped(.rejectedSource, "syslog", listener.rejectedSources)
        dropped(.oversized, "syslog", listener.oversized)
        dropped(.malformedFraming, "syslog", listener.malformedFraming)
        snapshots.advance(catalog.syslogConnectionsRefused, key: "syslog.refused", to: listener.connectionsRefused)
        catalog.syslogConnectionsOpen.set(Double(listener.connectionsOpen))

        if let traps = trapReceiver?.counters {
            for (version, total) in [("v1", traps.receivedV1), ("v2c", traps.receivedV2c), ("v3", traps.receivedV3)] {
                snapshots.advance(
                    catalog.eventsReceived(source: "snmp", transport: version), key: "snmp.\(version)", to: total)
            }
            dropped(.badCommunity, "snmp", traps.badCommunity)
            dropped(.usmFailure, "snmp", traps.usmFailures)
            dropped(.malformedTrap, "snmp", traps.malformed)
        }

        let classified = ingest.counters
        dropped(.notAChange, "ingest", classified.notChanges)
        dropped(.unresolved, "ingest", classified.unresolved)
        dropped(.rejectedSource, "ingest", classified.rejected)
        dropped(.malformedMessage, "ingest", classified.malformed.values.reduce(0, +))
        dropped(.journalFailure, "ingest", classified.journalFailures)

        if let writer = LoggingBootstrap.writer {
            snapshots.advance(catalog.logLinesDropped, key: "log.dropped", to: writer.droppedLines)
        }
    }
}
