/// The lab's one error type: a code to switch on and a human message.
public struct LabError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, as something to switch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String { case io, invalidArgument, bind }
        private let value: Value
        private init(_ value: Value) { self.value = value }
        /// A file could not be read or written.
        public static let io = Code(.io)
        /// A configuration value is invalid.
        public static let invalidArgument = Code(.invalidArgument)
        /// A listener could not be bound.
        public static let bind = Code(.bind)
        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A message for people.
    public var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// "code: message".
    public var description: String { "\(code): \(message)" }
}
