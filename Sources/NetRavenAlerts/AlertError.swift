/// Why a delivery failed, and whether trying again later can help (the outbox retries transient ones).
public struct AlertError: Error, Sendable, CustomStringConvertible {
    /// What went wrong; retry logic switches on this, never on the message.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unreachable, timeout, serverError, rejected, authenticationFailed, tls, commandFailed
            case commandTimedOut, invalidConfiguration
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Connection refused, name not resolved, network down.
        public static let unreachable = Code(.unreachable)
        public static let timeout = Code(.timeout)
        /// The receiver failed (HTTP 5xx, 429, an SMTP 4xx, a broken conversation): it may work later.
        public static let serverError = Code(.serverError)
        /// The receiver refused the message for good (HTTP 4xx other than 429, an SMTP 5xx).
        public static let rejected = Code(.rejected)
        /// The user name, password or token was refused.
        public static let authenticationFailed = Code(.authenticationFailed)
        /// The receiver's certificate could not be verified or TLS could not be set up.
        public static let tls = Code(.tls)
        /// An exec hook exited non-zero or was killed by a signal.
        public static let commandFailed = Code(.commandFailed)
        /// An exec hook ran past its timeout and was killed.
        public static let commandTimedOut = Code(.commandTimedOut)
        /// The destination cannot work as configured (a program that does not exist, an unknown destination).
        public static let invalidConfiguration = Code(.invalidConfiguration)

        public var description: String { base.rawValue }

        /// Worth retrying later.
        public var isTransient: Bool {
            switch base {
            case .unreachable, .timeout, .serverError, .commandFailed, .commandTimedOut: true
            case .rejected, .authenticationFailed, .tls, .invalidConfiguration: false
            }
        }
    }

    public var code: Code
    /// What happened, naming the destination; never contains a password, token or secret URL.
    public var message: String
    /// The destination's name.
    public var destination: String

    public init(_ code: Code, destination: String, _ message: String) {
        self.code = code
        self.destination = destination
        self.message = message
    }

    /// Worth retrying later (the outbox's `retry`); otherwise the delivery is rejected for good.
    public var isTransient: Bool { code.isTransient }

    public var description: String { "alert destination \(destination): \(code): \(message)" }
}
