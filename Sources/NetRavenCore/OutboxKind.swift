/// The outbox kinds NetRaven delivers; each has one handler in the daemon. The key orders items within a kind.
public enum OutboxKind {
    /// Push the archive to its Git remote (key `archive`, coalesced: one push sends every commit).
    public static let push = "push"
    /// Upload a committed version to S3 (key: the device, so a device's versions land in order).
    public static let s3Upload = "s3-upload"
    /// Deliver an alert (key: the destination's name).
    public static let alert = "alert"
}
