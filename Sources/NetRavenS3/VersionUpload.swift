public import Foundation

/// One committed version to copy to S3: what the outbox stores (Codable) until the upload succeeds.
public struct VersionUpload: Sendable, Equatable, Codable {
    /// Where the bytes come from.
    public enum Source: Sendable, Equatable, Codable {
        /// The bytes themselves (small configurations, tests).
        case bytes(Data)
        /// The file at `path` (`core/r1.cfg`) in the bare Git archive at `repository`, at the upload's `commit`.
        case archive(repository: String, path: String)
    }

    /// The device's inventory name (metadata `device`).
    public var device: String
    /// The archive path without `.cfg` (`core/r1`): the device's folder in the bucket.
    public var devicePath: String
    /// The full commit id (metadata `commit`; its first 7 digits name the snapshot).
    public var commit: String
    /// What caused the capture (`syslog`, `trap`, `sweep`, `manual`; metadata `trigger`).
    public var trigger: String
    /// Who changed the configuration, when an event said so (metadata `user`).
    public var user: String?
    /// When the version was committed (UTC, names the snapshot).
    public var committedAt: Date
    /// The configuration's bytes, or where to read them.
    public var source: Source

    /// A version to upload.
    public init(
        device: String, devicePath: String, commit: String, trigger: String, user: String? = nil, committedAt: Date,
        source: Source
    ) {
        self.device = device
        self.devicePath = devicePath
        self.commit = commit
        self.trigger = trigger
        self.user = user
        self.committedAt = committedAt
        self.source = source
    }
}

/// What one version upload stored: both keys, their version ids and ETags, and the body's digest.
public struct UploadedVersion: Sendable, Equatable, Codable {
    /// `<prefix>/<device path>/<stamp>_<short commit>.cfg`.
    public var snapshotKey: String
    /// `<prefix>/<device path>/latest.cfg`.
    public var latestKey: String
    /// The snapshot's ETag and version id.
    public var snapshot: S3PutResult
    /// `latest.cfg`'s ETag and version id.
    public var latest: S3PutResult
    /// Bytes uploaded (each key).
    public var size: Int
    /// Hex SHA-256 of the bytes.
    public var sha256: String
    /// Whether it went up as a multipart upload.
    public var multipart: Bool
}
