/// Why a journal operation failed, classified so callers switch on `code`, never on the text.
///
/// Messages name jobs, events and devices by id, never an event's raw text (a logged command may hold a secret).
public struct JournalError: Error, Sendable, CustomStringConvertible {
    /// The failure class; an extensible struct rather than an enum so later issues can add classes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unknownJob, unknownEvent, duplicateJob, illegalTransition, storage, unreadable
            case unknownOutboxItem, invalidOutboxItem
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No job with that id.
        public static let unknownJob = Code(.unknownJob)
        /// An event id that was never recorded.
        public static let unknownEvent = Code(.unknownEvent)
        /// A job with that id exists already.
        public static let duplicateJob = Code(.duplicateJob)
        /// The job's state does not allow the change (finishing a finished job, attaching to one, ...).
        public static let illegalTransition = Code(.illegalTransition)
        /// SQLite failed: the file cannot be opened or written, the disk is full, the file is corrupt.
        public static let storage = Code(.storage)
        /// A stored value NetRaven cannot read (written by a newer version, or edited by hand).
        public static let unreadable = Code(.unreadable)
        /// No outbox item with that id.
        public static let unknownOutboxItem = Code(.unknownOutboxItem)
        /// An outbox item without a kind or key, or whose payload is not JSON.
        public static let invalidOutboxItem = Code(.invalidOutboxItem)

        public var description: String { base.rawValue }
    }

    public var code: Code
    public var message: String
    public var underlying: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        "\(code): \(message)"
    }
}
