/// What the syslog listener has seen since it started: a snapshot, for logs, metrics and tests.
public struct SyslogCounters: Sendable, Equatable {
    /// Messages handed to the handler, per transport.
    public var received: [SyslogTransport: Int] = [:]
    /// UDP datagrams and TCP/TLS connections from addresses that are neither inventory devices nor relays.
    public var rejectedSources = 0
    /// Messages longer than `max_message_bytes`, dropped.
    public var oversized = 0
    /// Framing errors dropped: zero octet counts, streams ending inside an octet-counted message, TLS handshake
    /// and read failures.
    public var malformedFraming = 0
    /// TCP and TLS connections open now.
    public var connectionsOpen = 0
    /// TCP and TLS connections accepted since start.
    public var connectionsAccepted = 0
    /// TCP and TLS connections closed at once because `max_connections` were open.
    public var connectionsRefused = 0
    /// TCP and TLS connections closed after `idle_timeout` of silence.
    public var connectionsTimedOut = 0
    /// The UDP receive buffer the kernel granted (as `getsockopt(SO_RCVBUF)` reports it); 0 without UDP.
    public var receiveBufferBytes = 0

    /// Empty counters.
    public init() {}

    /// Messages received over `transport`.
    public func received(_ transport: SyslogTransport) -> Int { received[transport] ?? 0 }
}
