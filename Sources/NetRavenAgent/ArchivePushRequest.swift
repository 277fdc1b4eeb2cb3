/// The payload of an outbox item of kind `push`: which commit asked for it. Informational only: the push always
/// sends the branch's head, so a coalesced item also carries the commits made after this one.
public struct ArchivePushRequest: Sendable, Codable, Equatable {
    /// The ordering key of every push item: there is one archive, pushed one push at a time.
    public static let key = "archive"

    /// The device whose commit asked for the push.
    public var device: String
    /// That commit's short id.
    public var commit: String

    /// Creates a request.
    public init(device: String, commit: String) {
        self.device = device
        self.commit = commit
    }
}
