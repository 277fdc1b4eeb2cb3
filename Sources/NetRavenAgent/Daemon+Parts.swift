public import NetRavenCore
public import NetRavenJournal

extension Daemon {
    /// The daemon's running objects, handed to services added from outside the agent (the HTTP API) so they can
    /// read through them; created once the listeners are bound.
    public struct Parts: Sendable {
        /// The capture loop: requests captures, tells a device's state.
        public var coordinator: CaptureCoordinator
        /// Captures and the archive; `service.configuration` is the configuration in force (reloads included).
        public var service: CaptureService
        /// Events and jobs.
        public var journal: EventJournal
        /// Where the listeners are bound.
        public var ports: Ports
        /// The configuration the daemon started with (listen addresses, API settings).
        public var configuration: Configuration

        /// The parts.
        public init(
            coordinator: CaptureCoordinator, service: CaptureService, journal: EventJournal, ports: Ports,
            configuration: Configuration
        ) {
            self.coordinator = coordinator
            self.service = service
            self.journal = journal
            self.ports = ports
            self.configuration = configuration
        }
    }
}

extension Daemon.Ports {
    /// No listener bound; for callers that build `Parts` themselves without listeners (tests, tools).
    public static let none = Daemon.Ports()
}
