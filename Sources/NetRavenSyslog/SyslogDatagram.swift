public import Foundation

/// One received syslog message, as the listener hands it to the daemon: the raw bytes (not parsed; parsing and
/// device resolution by hostname happen after), who sent it and how.
public struct SyslogDatagram: Sendable, Equatable {
    /// The message exactly as received, without framing (no trailing LF/NUL, no octet-count header).
    public var bytes: [UInt8]
    /// The sender's IP address (IPv4-mapped IPv6 written as IPv4), without port.
    public var peer: String
    /// How it arrived.
    public var transport: SyslogTransport
    /// When the listener read it.
    public var receivedAt: Date

    /// A received message.
    public init(bytes: [UInt8], peer: String, transport: SyslogTransport, receivedAt: Date) {
        self.bytes = bytes
        self.peer = peer
        self.transport = transport
        self.receivedAt = receivedAt
    }

    /// The bytes as text, invalid UTF-8 replaced (devices send Latin-1 now and then).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
