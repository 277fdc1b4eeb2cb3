/// Why the syslog listener could not start or run.
public struct SyslogListenerError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, for code that reacts to it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case bindFailed, tlsConfiguration
        }

        private let value: Value

        /// A listening socket could not be opened (port in use, no permission for a port below 1024, bad address).
        public static let bindFailed = Code(value: .bindFailed)
        /// The TLS certificate, key or client CA could not be loaded.
        public static let tlsConfiguration = Code(value: .tlsConfiguration)

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What went wrong, as a kind.
    public var code: Code
    /// What went wrong, in words: which listener, which address or file.
    public var message: String
    /// The error underneath, when there is one.
    public var underlying: (any Error)?

    /// An error with a code and message.
    public init(code: Code, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// `message: underlying`.
    public var description: String {
        underlying.map { "\(message): \($0)" } ?? message
    }
}
