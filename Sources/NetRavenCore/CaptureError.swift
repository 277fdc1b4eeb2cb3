/// Why a capture failed, classified so the CLI summary, exit codes, retries and alerts switch on the class.
public struct CaptureError: Error, Sendable, CustomStringConvertible {
    /// The failure class. An extensible struct rather than an enum so later issues can add classes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unreachable, timeout, authenticationFailed, hostKeyChanged, hostKeyUnknown, promptNotFound
            case commandRejected, truncatedOutput, connectionLost, configuration, archive
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        public static let unreachable = Code(.unreachable)
        public static let timeout = Code(.timeout)
        public static let authenticationFailed = Code(.authenticationFailed)
        public static let hostKeyChanged = Code(.hostKeyChanged)
        /// Strict host-key policy and the key is not in known_hosts.
        public static let hostKeyUnknown = Code(.hostKeyUnknown)
        public static let promptNotFound = Code(.promptNotFound)
        public static let commandRejected = Code(.commandRejected)
        public static let truncatedOutput = Code(.truncatedOutput)
        /// The connection closed or reset mid-session.
        public static let connectionLost = Code(.connectionLost)
        /// The device's configuration is unusable (unknown platform, missing credentials).
        public static let configuration = Code(.configuration)
        /// Storing the capture failed.
        public static let archive = Code(.archive)

        public var description: String { base.rawValue }

        /// Worth another attempt: the network or the device may recover. Never after an authentication or host-key
        /// failure (that would lock accounts or talk to an impostor) nor after output the device really sent.
        public var isTransient: Bool {
            switch base {
            case .unreachable, .timeout, .connectionLost: true
            default: false
            }
        }
    }

    public var code: Code
    public var message: String
    public var underlying: (any Error & Sendable)?
    /// How many attempts were made before giving up.
    public var attempts: Int

    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil, attempts: Int = 1) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.attempts = attempts
    }

    public var description: String {
        SecretRedactor.shared.redact("\(code): \(message)")
    }
}
