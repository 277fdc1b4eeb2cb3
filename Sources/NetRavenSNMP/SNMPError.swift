import NetRavenCore

/// Why the trap receiver could not start or keep running; callers switch on `code`, never on the message.
public struct SNMPError: Error, Sendable, CustomStringConvertible {
    /// The failure class.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case bindFailed, userRejected, libraryFailure, alreadyStarted
        }

        private let value: Value

        /// The listen address could not be bound (in use, privileged port, no such address).
        public static let bindFailed = Code(value: .bindFailed)
        /// net-snmp refused a USM user (protocol not built in, passphrase too short).
        public static let userRejected = Code(value: .userRejected)
        /// The library failed otherwise (select error, session could not be created).
        public static let libraryFailure = Code(value: .libraryFailure)
        /// `start()` was called on a receiver that is running or was stopped.
        public static let alreadyStarted = Code(value: .alreadyStarted)

        public var description: String { value.rawValue }
    }

    public var code: Code
    /// What went wrong, for people; never holds a community or passphrase.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { SecretRedactor.shared.redact(message) }
}
