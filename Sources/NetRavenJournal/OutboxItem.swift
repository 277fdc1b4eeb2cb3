public import Foundation

/// Where an outbox item is: waiting for (another) delivery attempt, or finished one of two ways.
public enum OutboxState: String, Sendable, Codable, CaseIterable {
    /// Not delivered yet: due at `nextAttemptAt`, retried until it is delivered or rejected.
    case pending
    /// The handler delivered it.
    case delivered
    /// The handler refused it for good (bad payload, a permanent error); kept for `netraven outbox --all`.
    case rejected
}

/// One durable delivery: a push, an S3 upload, an alert. Items with the same `kind` and `key` are delivered one at
/// a time, oldest first.
public struct OutboxItem: Sendable, Equatable, Identifiable {
    /// The journal's id, increasing in enqueue order.
    public var id: Int64
    /// What to do, and so which handler does it (`push`, `s3-upload`, `alert`).
    public var kind: String
    /// The ordering key within the kind (a device, a destination name): one delivery at a time per key, in order.
    public var key: String
    /// The handler's input, JSON as enqueued. Never holds secrets: they are referred to by name.
    public var payload: Data
    public var state: OutboxState
    /// Delivery attempts started, including one interrupted by a crash.
    public var attempts: Int
    /// When the next attempt may start (for a pending item).
    public var nextAttemptAt: Date
    /// Why the last attempt did not deliver (a retry's or a rejection's reason).
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// When it was delivered or rejected.
    public var finishedAt: Date?

    /// Creates an item as the journal returns it.
    public init(
        id: Int64, kind: String, key: String, payload: Data, state: OutboxState, attempts: Int, nextAttemptAt: Date,
        lastError: String?, createdAt: Date, updatedAt: Date, finishedAt: Date?
    ) {
        self.id = id
        self.kind = kind
        self.key = key
        self.payload = payload
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.finishedAt = finishedAt
    }

    /// The payload decoded as `type` (the handler's request value).
    public func decodePayload<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: payload)
    }
}

/// How many items of one kind are in one state.
public struct OutboxCount: Sendable, Equatable {
    public var kind: String
    public var state: OutboxState
    public var count: Int

    /// Creates a count.
    public init(kind: String, state: OutboxState, count: Int) {
        self.kind = kind
        self.state = state
        self.count = count
    }
}
