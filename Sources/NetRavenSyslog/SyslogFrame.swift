public import NIOCore

/// What the stream framing yields: one message, or a note that input was dropped (so it can be counted).
public enum SyslogFrame: Sendable, Equatable {
    /// One message, without its terminator or octet-count header.
    case message(ByteBuffer)
    /// A message longer than the maximum was dropped (it is skipped to its end).
    case oversized
    /// Input that is not a message was dropped: a zero octet count, an octet-counted message of nothing but line
    /// ends, or a connection that ended inside an octet-counted message.
    case malformed
}
