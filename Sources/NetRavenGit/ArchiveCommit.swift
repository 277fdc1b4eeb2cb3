public import Foundation

/// Who made a commit and when. Git stores whole seconds; dates are written in UTC.
public struct ArchiveSignature: Sendable, Equatable {
    /// Display name, e.g. the operator or "NetRaven".
    public var name: String
    /// E-mail address.
    public var email: String
    /// Point in time (sub-second precision is dropped when stored).
    public var date: Date

    /// Creates a signature.
    public init(name: String, email: String, date: Date) {
        self.name = name
        self.email = email
        self.date = date
    }
}

/// One `Key: value` line of a commit message's trailer block (e.g. `Trigger: syslog`).
public struct ArchiveTrailer: Sendable, Equatable {
    /// Trailer key, e.g. `Changed-By`.
    public var key: String
    /// Trailer value.
    public var value: String

    /// Creates a trailer.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A commit of the archive as read back from the repository.
public struct ArchiveCommit: Sendable, Equatable {
    /// Full hexadecimal object id.
    public var id: String
    /// Shortest unambiguous abbreviation of `id` (at least 7 characters).
    public var shortID: String
    /// First line of the message.
    public var summary: String
    /// Full message, as stored.
    public var message: String
    /// Who authored the change (e.g. the person who changed the device).
    public var author: ArchiveSignature
    /// Who recorded it (NetRaven).
    public var committer: ArchiveSignature
    /// The message's trailer block, in order.
    public var trailers: [ArchiveTrailer]
    /// Full ids of the parent commits (empty for the first commit).
    public var parentIDs: [String]

    /// Creates a commit value (the archive builds these; public for tests and fakes).
    public init(
        id: String,
        shortID: String,
        summary: String,
        message: String,
        author: ArchiveSignature,
        committer: ArchiveSignature,
        trailers: [ArchiveTrailer],
        parentIDs: [String]
    ) {
        self.id = id
        self.shortID = shortID
        self.summary = summary
        self.message = message
        self.author = author
        self.committer = committer
        self.trailers = trailers
        self.parentIDs = parentIDs
    }

    /// The value of the first trailer with `key` (case-insensitive), if any.
    public func trailer(_ key: String) -> String? {
        trailers.first { $0.key.caseInsensitiveCompare(key) == .orderedSame }?.value
    }
}
