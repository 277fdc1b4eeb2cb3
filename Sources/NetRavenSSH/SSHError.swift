/// The one error type of NetRavenSSH: retry, alert and exit-code logic switch on `code`, never on `message`.
public struct SSHError: Error, CustomStringConvertible {
    /// What went wrong, as an extensible set of cases (a public enum would break callers when it grows).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case unreachable, timeout, authenticationFailed, hostKeyChanged, hostKeyUnknown
            case connectionLost, protocolError, channelFailed, knownHostsFailed, invalidTarget
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// Nothing listens at host:port, no route, or the name does not resolve.
        public static let unreachable = Code(.unreachable)
        /// The peer did not answer (TCP connect or SSH handshake) within the connect timeout.
        public static let timeout = Code(.timeout)
        /// The server rejected every credential we could offer, or the private key could not be loaded.
        public static let authenticationFailed = Code(.authenticationFailed)
        /// The server's host key differs from the one recorded in known_hosts (possible man in the middle).
        public static let hostKeyChanged = Code(.hostKeyChanged)
        /// Strict policy: the server's host key is not in known_hosts.
        public static let hostKeyUnknown = Code(.hostKeyUnknown)
        /// The connection or the channel closed (EOF, reset, server exit) while we were using it.
        public static let connectionLost = Code(.connectionLost)
        /// The SSH handshake or a request failed, e.g. no common algorithm.
        public static let protocolError = Code(.protocolError)
        /// Opening the session channel, the pty or the shell was refused.
        public static let channelFailed = Code(.channelFailed)
        /// The known_hosts file could not be read or written.
        public static let knownHostsFailed = Code(.knownHostsFailed)
        /// The target could not be applied to libssh (bad host name, no supported algorithm in a list...).
        public static let invalidTarget = Code(.invalidTarget)

        /// The case name, for logs.
        public var description: String {
            switch value {
            case .unreachable: "unreachable"
            case .timeout: "timeout"
            case .authenticationFailed: "authenticationFailed"
            case .hostKeyChanged: "hostKeyChanged"
            case .hostKeyUnknown: "hostKeyUnknown"
            case .connectionLost: "connectionLost"
            case .protocolError: "protocolError"
            case .channelFailed: "channelFailed"
            case .knownHostsFailed: "knownHostsFailed"
            case .invalidTarget: "invalidTarget"
            }
        }
    }

    /// The class of failure.
    public var code: Code
    /// Human text: what we were doing, and libssh's own error text captured right after the failing call.
    /// Never contains a password or passphrase.
    public var message: String
    /// The lower-level error, when there is one.
    public var underlying: (any Error)?
    /// Where the error was thrown (`file:line`), for logs.
    public var location: String

    /// Makes an error; `location` defaults to the throwing call site.
    public init(
        _ code: Code, _ message: String, underlying: (any Error)? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.location = "\(file):\(line)"
    }

    /// `SSHError.<code>: <message>`, for logs.
    public var description: String {
        var text = "SSHError.\(code): \(message)"
        if let underlying { text += " (underlying: \(underlying))" }
        return text
    }
}
