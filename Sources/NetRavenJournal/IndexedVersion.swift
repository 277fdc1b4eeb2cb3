public import Foundation

/// One commit in the journal's version index: what `netraven history` and the API list for a device.
public struct IndexedVersion: Sendable, Equatable {
    /// Full commit id.
    public var commitID: String
    /// Abbreviated id, as Git printed it when the commit was indexed.
    public var shortID: String
    /// Full ids of the parents.
    public var parentIDs: [String]
    /// Author name and e-mail (the person who changed the device, when known).
    public var authorName: String
    /// Author e-mail.
    public var authorEmail: String
    /// Author time.
    public var authoredAt: Date
    /// Committer name (NetRaven).
    public var committerName: String
    /// Committer e-mail.
    public var committerEmail: String
    /// Commit time.
    public var committedAt: Date
    /// First line of the message.
    public var summary: String
    /// The whole message (trailers included).
    public var message: String

    /// Creates an entry.
    public init(
        commitID: String, shortID: String, parentIDs: [String], authorName: String, authorEmail: String,
        authoredAt: Date, committerName: String, committerEmail: String, committedAt: Date, summary: String,
        message: String
    ) {
        self.commitID = commitID
        self.shortID = shortID
        self.parentIDs = parentIDs
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.authoredAt = authoredAt
        self.committerName = committerName
        self.committerEmail = committerEmail
        self.committedAt = committedAt
        self.summary = summary
        self.message = message
    }
}

/// A commit to add to the index with the archive paths it changed.
public struct IndexedCommit: Sendable, Equatable {
    /// The commit.
    public var version: IndexedVersion
    /// Archive paths it added, modified or removed.
    public var paths: [String]

    /// Creates an entry.
    public init(version: IndexedVersion, paths: [String]) {
        self.version = version
        self.paths = paths
    }
}
