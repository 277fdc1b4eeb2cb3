public import NetRavenAgent
public import NetRavenJournal

/// What the routes read through: the daemon's own coordinator, capture service (configuration and archive) and
/// journal, the readiness checks, and the metrics text.
public struct APIBackend: Sendable {
    /// Requests captures and tells a device's state.
    public var coordinator: CaptureCoordinator
    /// The configuration in force (`service.configuration`) and the archive.
    public var service: CaptureService
    /// Events and jobs.
    public var journal: EventJournal
    /// What `/readyz` checks, in order.
    public var readiness: [ReadinessCheck]
    /// The Prometheus text exposition served at `/metrics`.
    public var metrics: @Sendable () -> String

    /// A backend over these objects.
    public init(
        coordinator: CaptureCoordinator, service: CaptureService, journal: EventJournal,
        readiness: [ReadinessCheck], metrics: @escaping @Sendable () -> String
    ) {
        self.coordinator = coordinator
        self.service = service
        self.journal = journal
        self.readiness = readiness
        self.metrics = metrics
    }

    /// The daemon's backend: its objects, and readiness = listeners bound, journal writable, archive usable.
    public init(daemon parts: Daemon.Parts, metrics: @escaping @Sendable () -> String) {
        self.init(
            coordinator: parts.coordinator, service: parts.service, journal: parts.journal,
            readiness: [
                .listenersBound(configuration: parts.configuration, ports: parts.ports),
                .journalWritable(parts.journal), .archiveUsable(parts.service.archive),
            ],
            metrics: metrics)
    }
}
