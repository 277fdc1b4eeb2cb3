/// The `syslog:` section of `netraven.yaml`: where the syslog listener binds and what it accepts.
/// With none of `udp`, `tcp` or `tls` set the listener is off.
public struct SyslogSettings: Sendable, Equatable {
    /// TLS (RFC 5425) listener settings.
    public struct TLS: Sendable, Equatable {
        /// Where to listen (6514 is the registered port).
        public var listen: ListenAddress
        /// PEM certificate chain presented to senders.
        public var certificatePath: String
        /// PEM private key of the certificate.
        public var keyPath: String
        /// PEM CA bundle; when set, senders must present a certificate it signed.
        public var clientCAPath: String?

        /// TLS settings with the given files.
        public init(listen: ListenAddress, certificatePath: String, keyPath: String, clientCAPath: String? = nil) {
            self.listen = listen
            self.certificatePath = certificatePath
            self.keyPath = keyPath
            self.clientCAPath = clientCAPath
        }
    }

    /// Plain UDP listener (one datagram = one message).
    public var udp: ListenAddress?
    /// Plain TCP listener (LF framing and RFC 6587 octet counting, detected per message).
    public var tcp: ListenAddress?
    /// TLS listener, same framing as TCP.
    public var tls: TLS?
    /// Hosts that forward other devices' messages (rsyslog, syslog-ng, a collector): addresses or CIDR prefixes.
    /// Their messages are resolved by the hostname inside them.
    public var relays: [IPPrefix]
    /// Longest message accepted; longer ones are counted and dropped.
    public var maxMessageBytes: Int
    /// TCP and TLS connections open at once; further ones are refused (closed) and counted.
    public var maxConnections: Int
    /// Requested UDP socket receive buffer (`SO_RCVBUF`); the kernel may grant less (`net.core.rmem_max`).
    public var receiveBufferBytes: Int
    /// A TCP or TLS connection silent for this long is closed.
    public var idleTimeout: Duration

    /// Settings with the defaults: no listener, no relays, 64 KiB messages, 256 connections, 8 MiB UDP buffer,
    /// one hour idle timeout.
    public init(
        udp: ListenAddress? = nil, tcp: ListenAddress? = nil, tls: TLS? = nil, relays: [IPPrefix] = [],
        maxMessageBytes: Int = 64 * 1024, maxConnections: Int = 256, receiveBufferBytes: Int = 8 * 1024 * 1024,
        idleTimeout: Duration = .seconds(3600)
    ) {
        self.udp = udp
        self.tcp = tcp
        self.tls = tls
        self.relays = relays
        self.maxMessageBytes = maxMessageBytes
        self.maxConnections = maxConnections
        self.receiveBufferBytes = receiveBufferBytes
        self.idleTimeout = idleTimeout
    }

    /// True when at least one listener is configured.
    public var isEnabled: Bool { udp != nil || tcp != nil || tls != nil }
}
