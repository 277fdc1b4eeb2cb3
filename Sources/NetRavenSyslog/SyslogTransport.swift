/// How a syslog message arrived.
public enum SyslogTransport: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// One UDP datagram (RFC 5426).
    case udp
    /// Plain TCP (RFC 6587).
    case tcp
    /// TLS over TCP (RFC 5425).
    case tls

    /// `udp`, `tcp` or `tls`.
    public var description: String { rawValue }
}
