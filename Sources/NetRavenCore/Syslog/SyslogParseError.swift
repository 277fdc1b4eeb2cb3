/// Why a syslog message could not be parsed, classified so the listener can count drops per reason.
public struct SyslogParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reason class. An extensible struct rather than an enum, like `CaptureError.Code`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case empty, missingPriority, invalidPriority, oversized, binary
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Nothing but whitespace or NUL bytes.
        public static let empty = Code(.empty)
        /// The message does not start with `<PRI>`.
        public static let missingPriority = Code(.missingPriority)
        /// `<PRI>` is not a number from 0 to 191.
        public static let invalidPriority = Code(.invalidPriority)
        /// Longer than the parser's limit; not parsed at all, so the work per message stays bounded.
        public static let oversized = Code(.oversized)
        /// Control bytes where text should be (a scan, a wrong protocol on the port).
        public static let binary = Code(.binary)

        /// Every class, for counters that want a zero for each.
        public static let all: [Code] = [.empty, .missingPriority, .invalidPriority, .oversized, .binary]

        public var description: String { base.rawValue }
    }

    /// The class the listener counts.
    public var code: Code
    /// What is wrong, for a log line (never the message itself: it may be large or hostile).
    public var message: String

    /// A parse error of class `code`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
