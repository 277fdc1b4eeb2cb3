import Foundation
public import Logging
public import NetRavenCore
import NetRavenJournal
import NetRavenMetrics
import NetRavenSNMP
import NetRavenSyslog
public import ServiceLifecycle
import Synchronization
import UnixSignals

/// `netraven run`: the listeners, the classifier, the journal, the coordinator and the sweep scheduler in one
/// ServiceGroup. SIGTERM/SIGINT shut down gracefully (listeners first, then captures in flight finish); SIGHUP
/// reloads inventory, credentials and rules without closing the listeners.
public enum Daemon {
    /// Where the listeners ended up (port 0 in the configuration picks a free one).
    public struct Ports: Sendable, Codable, Equatable {
        public var syslogUDP: Int?
        public var syslogTCP: Int?
        public var syslogTLS: Int?
        public var snmp: Int?
    }

    /// Runs until SIGTERM or SIGINT. `reload` loads the configuration again (SIGHUP); `ready` is called once the
    /// listeners are bound and unfinished work from the journal is queued.
    public static func run(
        configuration: Configuration, logger: Logger,
        reload: @escaping @Sendable () throws -> Configuration,
        ready: @escaping @Sendable (Ports) -> Void,
        services extraServices: @Sendable (Parts) throws -> [any Service] = { _ in [] }
    ) async throws {
        let service = try CaptureService(configuration: configuration, logger: logger)
        let journal: EventJournal
        do {
            journal = try await EventJournal.open(path: service.layout.journal)
        } catch {
            await service.shutdown()
            throw CaptureError(.archive, "\(error)")
        }
        let outbox = OutboxWorker(
            journal: journal, policy: configuration.settings.outbox.retry,
            concurrency: configuration.settings.outbox.concurrency, logger: logger)
        let coordinator = CaptureCoordinator(
            service: service, journal: journal, settings: configuration.settings.debounce, logger: logger,
            outbox: outbox)
        await outbox.register(kind: OutboxKind.push) { await coordinator.deliverPush($0) }
        let shipping: Shipping
        do {
            shipping = try await Shipping.start(
                configuration: configuration, journal: journal, service: service, outbox: outbox, logger: logger)
            await coordinator.setFollowUp(shipping.followUp)
        } catch {
            await service.shutdown()
            throw error
        }
        let ingest = EventIngest(
            classifier: await EventIngest.classifier(for: configuration, logger: logger), coordinator: coordinator, logger: logger)
        let current = Mutex(configuration)

        var ports = Ports()
        let syslog: SyslogListener
        let trapReceiver: TrapReceiver?
        do {
            syslog = try await SyslogListener.bind(
                settings: configuration.syslog,
                resolver: ingest.syslogResolver,
                logger: logger.module("netraven.syslog")
            ) { datagram in
                await ingest.received(datagram)
            }
            ports.syslogUDP = syslog.ports[.udp]
            ports.syslogTCP = syslog.ports[.tcp]
            ports.syslogTLS = syslog.ports[.tls]
            if let snmp = configuration.snmp {
                let receiver = TrapReceiver(
                    settings: snmp, stateDirectory: configuration.settings.stateDirectory + "/snmp"
                ) { trap in
                    ingest.receivedBlocking(trap)
                }
                // start() initialises net-snmp (it reads its configuration files) and binds: not on the pool.
                ports.snmp = try await withCheckedThrowingContinuation { continuation in
                    Thread { continuation.resume(with: Result { try receiver.start() }) }.start()
                }
                trapReceiver = receiver
            } else {
                trapReceiver = nil
            }
        } catch {
            await service.shutdown()
            throw error
        }

        let boundPorts = ports
        let core = CoreService(
            coordinator: coordinator, service: service, journal: journal, logger: logger,
            settings: { current.withLock { ($0.settings.sweep, $0.devices, $0.settings.journal) } },
            started: { ready(boundPorts) })
        let reloader = ReloadService(logger: logger) {
            let fresh = try reload()
            current.withLock { $0 = fresh }
            service.update(fresh)
            await coordinator.update(devices: fresh.devices)
            await shipping.alerts.update(fresh.alerts)
            await ingest.update(classifier: EventIngest.classifier(for: fresh, logger: logger))
            syslog.update(resolver: ingest.syslogResolver)
            return fresh
        }
        var services: [any Service] = [core]
        services.append(OutboxService(worker: outbox))  // after core: stops first, before the archive closes
        services.append(
            OutboxWatch(
                outbox: outbox, alerts: shipping.alerts, devices: { current.withLock { $0.devices } }, logger: logger))
        if let trapReceiver { services.append(TrapReceiverService(receiver: trapReceiver)) }
        // A listener with no port returns at once, which the group would take for a failure (trap-only daemon).
        if !syslog.ports.isEmpty { services.append(syslog) }
        services.append(reloader)
        do {
            // Services from outside the agent (the HTTP API) read through the daemon's own objects.
            services += try extraServices(
                Parts(
                    coordinator: coordinator, service: service, journal: journal, ports: boundPorts,
                    configuration: configuration))
        } catch {
            await service.shutdown()
            throw error
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        logger.notice(
            "netraven running",
            metadata: [
                "devices": "\(configuration.devices.count)",
                "syslog_udp": "\(ports.syslogUDP.map(String.init) ?? "-")",
                "syslog_tcp": "\(ports.syslogTCP.map(String.init) ?? "-")",
                "syslog_tls": "\(ports.syslogTLS.map(String.init) ?? "-")",
                "snmp": "\(ports.snmp.map(String.init) ?? "-")",
            ])
        // Metrics: the listeners' and the classifier's running totals, copied into the registry at each scrape.
        let metricsToken = DaemonMetrics(
            registry: .shared, syslog: syslog, trapReceiver: trapReceiver, ingest: ingest
        ).register()
        defer { MetricsRegistry.shared.removeCollector(metricsToken) }
        do {
            try await group.run()
        } catch {
            try? await shipping.dispatcher.shutdown()
            throw error
        }
        try? await shipping.dispatcher.shutdown()
        let captures = await coordinator.counters
        let deliveries = await outbox.counters
        logger.notice(
            "netraven stopped",
            metadata: ["events": "\(ingest.counters)", "captures": "\(captures)", "outbox": "\(deliveries)"])
    }
}

/// The coordinator's life in the group: resume from the journal, run the sweep scheduler and the journal's
/// retention, and on shutdown let captures in flight finish and push what they committed.
struct CoreService: Service {
    let coordinator: CaptureCoordinator
    let service: CaptureService
    let journal: EventJournal
    let logger: Logger
    let settings: @Sendable () -> (SweepSettings, [Device], JournalSettings)
    /// Called once the journal's unfinished work is queued.
    let started: @Sendable () -> Void

    func run() async throws {
        _ = try await coordinator.resume()
        started()
        let settings = self.settings
        let scheduler = SweepScheduler(coordinator: coordinator, logger: logger) {
            let (sweep, devices, _) = settings()
            return (sweep, devices)
        }
        let sweeps = Task { await scheduler.run() }
        let retention = Task { await self.pruneHourly() }
        try? await gracefulShutdown()
        sweeps.cancel()
        retention.cancel()
        logger.notice("shutting down: letting captures in flight finish")
        await coordinator.drain()
        await service.shutdown()
    }

    private func pruneHourly() async {
        while !Task.isCancelled {
            let retention = settings().2.retention
            do {
                let removed = try await journal.prune(finishedBefore: Date().addingTimeInterval(-retention.seconds))
                if removed > 0 { logger.info("journal retention", metadata: ["jobs_removed": "\(removed)"]) }
            } catch {
                logger.error("journal retention failed", metadata: ["reason": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(3600))
        }
    }
}

/// Keeps the trap receiver's thread running for the group's lifetime.
struct TrapReceiverService: Service {
    let receiver: TrapReceiver

    func run() async throws {
        try? await gracefulShutdown()
        receiver.stop()
    }
}

/// Reloads on SIGHUP; a configuration with errors is refused and the old one stays in force.
struct ReloadService: Service {
    let logger: Logger
    let apply: @Sendable () async throws -> Configuration

    init(logger: Logger, apply: @escaping @Sendable () async throws -> Configuration) {
        self.logger = logger
        self.apply = apply
    }

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            do {
                let fresh = try await apply()
                logger.notice(
                    "configuration reloaded",
                    metadata: ["devices": "\(fresh.devices.count)", "syslog_rules": "\(fresh.rules.syslog.rules.count)"])
            } catch {
                logger.error("configuration reload refused; the previous one stays in force", metadata: ["problems": "\(error)"])
            }
        }
    }
}
