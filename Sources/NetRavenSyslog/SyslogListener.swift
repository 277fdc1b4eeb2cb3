import Foundation
public import Logging
public import NetRavenCore
public import NIOCore
import NIOConcurrencyHelpers
public import NIOPosix
import NIOSSL
public import ServiceLifecycle

/// Receives syslog over UDP, TCP and TLS and hands every message from an allowed sender to the daemon's handler.
///
/// Create it with `bind` (sockets are open and their ports known when it returns, so a port in use fails before
/// the service group starts), then run it as a `Service`. Graceful shutdown stops accepting, delivers every message
/// already read, and closes. Senders that are neither inventory devices nor relays are dropped, counted, and
/// logged at a limited rate. Over TCP and TLS the listener reads on only when the handler has returned (a couple
/// of messages are buffered at most), so a slow handler slows the sender instead of growing memory; a UDP sender
/// cannot be slowed, so its datagrams wait in the socket's receive buffer (`receive_buffer_bytes`).
public final class SyslogListener: Service, Sendable {
    /// Called once per message. Calls for different TCP/TLS connections run concurrently; per connection and for
    /// UDP they run one at a time, in arrival order.
    public typealias Handler = @Sendable (SyslogDatagram) async -> Void

    typealias Connection = NIOAsyncChannel<SyslogFrame, Never>
    typealias ConnectionServer = NIOAsyncChannel<AcceptedConnection, Never>

    /// A connection with its sender's address, read when it was accepted: a sender that sends and closes at once
    /// (logger) has no remote address any more by the time the accept loop sees the channel.
    struct AcceptedConnection: Sendable {
        var peer: String
        var channel: Connection
    }
    typealias DatagramChannel = NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>

    struct State: Sendable {
        var counters = SyslogCounters()
        var resolver: EventSourceResolver
        var rejectionLog = WarningRateLimiter<ContinuousClock.Instant>()
        var connections: [ObjectIdentifier: any Channel] = [:]
        var isShuttingDown = false
    }

    let settings: SyslogSettings
    let logger: Logger
    let handler: Handler
    let state: NIOLockedValueBox<State>
    private let udp: DatagramChannel?
    private let tcp: ConnectionServer?
    private let tls: ConnectionServer?

    /// The port each configured listener is bound to (the real one when the configuration said 0).
    public let ports: [SyslogTransport: Int]

    private init(
        settings: SyslogSettings, logger: Logger, handler: @escaping Handler, state: NIOLockedValueBox<State>,
        udp: DatagramChannel?, tcp: ConnectionServer?, tls: ConnectionServer?
    ) {
        self.settings = settings
        self.logger = logger
        self.handler = handler
        self.state = state
        self.udp = udp
        self.tcp = tcp
        self.tls = tls
        var ports: [SyslogTransport: Int] = [:]
        ports[.udp] = udp?.channel.localAddress?.port
        ports[.tcp] = tcp?.channel.localAddress?.port
        ports[.tls] = tls?.channel.localAddress?.port
        self.ports = ports
    }

    /// Opens the listeners `settings` configures (none is fine: `run` then returns at once).
    /// - Parameters:
    ///   - resolver: decides which senders are allowed; replace it with `update(resolver:)` on reload.
    ///   - handler: receives each message; the daemon journals it before returning.
    /// - Throws: `SyslogListenerError` (`.bindFailed`, `.tlsConfiguration`), naming the listener and address.
    public static func bind(
        settings: SyslogSettings, resolver: EventSourceResolver,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "netraven.syslog"), handler: @escaping Handler
    ) async throws -> SyslogListener {
        let state = NIOLockedValueBox(State(resolver: resolver))
        let sslContext = try settings.tls.map(makeSSLContext)
        var udp: DatagramChannel?
        var tcp: ConnectionServer?
        do {
            if let address = settings.udp {
                let channel = try await bindDatagram(at: address, settings: settings, group: eventLoopGroup)
                udp = channel
                let granted = try await grantReceiveBuffer(channel.channel, requested: settings.receiveBufferBytes)
                state.withLockedValue { $0.counters.receiveBufferBytes = granted }
                // Linux reports twice what it grants (it counts its own overhead), capped by net.core.rmem_max.
                if granted < settings.receiveBufferBytes {
                    logger.warning(
                        """
                        syslog UDP receive buffer is \(granted) bytes, less than the \(settings.receiveBufferBytes) \
                        requested; raise net.core.rmem_max (sysctl) or bursts may be lost
                        """)
                }
            }
            if let address = settings.tcp {
                tcp = try await bindStream(at: address, transport: .tcp, ssl: nil, settings: settings,
                    state: state, group: eventLoopGroup)
            }
            var tls: ConnectionServer?
            if let tlsSettings = settings.tls {
                tls = try await bindStream(at: tlsSettings.listen, transport: .tls, ssl: sslContext, settings: settings,
                    state: state, group: eventLoopGroup)
            }
            let listener = SyslogListener(
                settings: settings, logger: logger, handler: handler, state: state, udp: udp, tcp: tcp, tls: tls)
            let ports = listener.ports.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ", ")
            logger.info("syslog listener bound", metadata: ["ports": "\(ports)"])
            return listener
        } catch {
            try? await udp?.channel.close()
            try? await tcp?.channel.close()
            throw error
        }
    }

    /// Serves until graceful shutdown (or `shutdown()`), then returns once every message read has been delivered.
    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                if let udp { group.addTask { try await self.serveDatagrams(udp) } }
                if let tcp { group.addTask { try await self.acceptConnections(tcp, transport: .tcp) } }
                if let tls { group.addTask { try await self.acceptConnections(tls, transport: .tls) } }
            }
        } onGracefulShutdown: {
            self.shutdown()
        }
    }

    /// Stops accepting and reading; `run` returns when what was already read has been delivered.
    public func shutdown() {
        let connections = state.withLockedValue { state in
            state.isShuttingDown = true
            return Array(state.connections.values)
        }
        udp?.channel.close(promise: nil)
        tcp?.channel.close(promise: nil)
        tls?.channel.close(promise: nil)
        for connection in connections { connection.close(promise: nil) }
    }

    /// What the listener has seen so far.
    public var counters: SyslogCounters { state.withLockedValue { $0.counters } }

    /// Replaces the allow-list (inventory reload); open connections from senders no longer allowed stay open.
    public func update(resolver: EventSourceResolver) {
        state.withLockedValue { $0.resolver = resolver }
    }

    // MARK: - Serving

    private func serveDatagrams(_ channel: DatagramChannel) async throws {
        try await channel.executeThenClose { inbound, _ in
            for try await envelope in inbound {
                let receivedAt = Date()
                let peer = Self.peerText(envelope.remoteAddress)
                guard admit(peer: peer, transport: .udp) else { continue }
                let message = SyslogFrameDecoder.trimmed(envelope.data)
                if message.readableBytes > settings.maxMessageBytes {
                    // The read buffer holds one byte more than the maximum, so a longer datagram shows as too long.
                    state.withLockedValue { $0.counters.oversized += 1 }
                    continue
                }
                guard message.readableBytes > 0 else { continue }
                await deliver(message, peer: peer, transport: .udp, at: receivedAt)
            }
        }
    }

    private func acceptConnections(_ server: ConnectionServer, transport: SyslogTransport) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            try await server.executeThenClose { inbound in
                for try await accepted in inbound {
                    let connection = accepted.channel
                    guard admit(connection.channel, peer: accepted.peer, transport: transport) else {
                        connection.channel.close(promise: nil)
                        continue
                    }
                    group.addTask { await self.serve(connection, peer: accepted.peer, transport: transport) }
                }
            }
        }
    }

    private func serve(_ connection: Connection, peer: String, transport: SyslogTransport) async {
        do {
            try await connection.executeThenClose { inbound, _ in
                for try await frame in inbound {
                    switch frame {
                    case .message(let message):
                        await deliver(message, peer: peer, transport: transport, at: Date())
                    case .oversized:
                        state.withLockedValue { $0.counters.oversized += 1 }
                    case .malformed:
                        state.withLockedValue { $0.counters.malformedFraming += 1 }
                    }
                }
            }
        } catch {
            if Self.isFramingFailure(error) {
                state.withLockedValue { $0.counters.malformedFraming += 1 }
            }
            logger.debug(
                "syslog connection ended with an error",
                metadata: ["peer": "\(peer)", "transport": "\(transport)", "error": "\(error)"])
        }
        state.withLockedValue { state in
            state.connections[ObjectIdentifier(connection.channel)] = nil
            state.counters.connectionsOpen -= 1
        }
    }

    private func deliver(_ message: ByteBuffer, peer: String, transport: SyslogTransport, at receivedAt: Date) async {
        state.withLockedValue { $0.counters.received[transport, default: 0] += 1 }
        await handler(
            SyslogDatagram(bytes: Array(message.readableBytesView), peer: peer, transport: transport,
                receivedAt: receivedAt))
    }

    // MARK: - Admission

    /// The allow-list check for one datagram or connection; rejections are counted and logged at a limited rate.
    private func admit(peer: String, transport: SyslogTransport) -> Bool {
        let decision: WarningRateLimiter<ContinuousClock.Instant>.Decision? = state.withLockedValue { state in
            if state.resolver.isAllowed(peer: peer) { return nil }
            state.counters.rejectedSources += 1
            return state.rejectionLog.record(source: peer, at: .now)
        }
        guard let decision else { return true }
        if case .log(let suppressed) = decision {
            let more = suppressed > 0 ? " (\(suppressed) more rejected since the last warning)" : ""
            logger.warning(
                "syslog from \(peer) over \(transport) rejected: not an inventory device or configured relay\(more)")
        }
        return false
    }

    /// Admits a connection: allowed sender, below `max_connections`, not shutting down.
    private func admit(_ channel: any Channel, peer: String, transport: SyslogTransport) -> Bool {
        guard admit(peer: peer, transport: transport) else { return false }
        let admitted = state.withLockedValue { state in
            guard !state.isShuttingDown else { return false }
            guard state.counters.connectionsOpen < settings.maxConnections else {
                state.counters.connectionsRefused += 1
                return false
            }
            state.counters.connectionsOpen += 1
            state.counters.connectionsAccepted += 1
            state.connections[ObjectIdentifier(channel)] = channel
            return true
        }
        if !admitted, !state.withLockedValue(\.isShuttingDown) {
            logger.warning(
                "syslog connection from \(peer) over \(transport) refused: \(settings.maxConnections) already open")
        }
        return admitted
    }

    static func peerText(_ address: SocketAddress) -> String {
        guard let text = address.ipAddress else { return "unknown" }
        return IPAddress(text)?.description ?? text
    }

    /// TLS failures other than a missing close_notify, which many senders skip; resets and the like are not.
    private static func isFramingFailure(_ error: any Error) -> Bool {
        if let ssl = error as? NIOSSLError, case .uncleanShutdown = ssl { return false }
        return error is NIOSSLError || error is BoringSSLError
    }
}
