/// A kind of trouble that is alerted on when it persists, as opposed to a configuration change.
///
/// The raw values are the names used in configuration (`routes[].failures`) and in the webhook JSON.
public enum AlertFailureClass: String, Sendable, Codable, CaseIterable, Hashable {
    /// The device could not be reached (connect failed or timed out) by a capture or sweep.
    case unreachable
    /// The device presented an SSH host key other than the one on record.
    case hostKeyChanged = "host_key_changed"
    /// Every credential set was refused.
    case authenticationFailed = "authentication_failed"
    /// An S3 upload or Git push has been pending in the outbox for too long.
    case outboxStuck = "outbox_stuck"

    /// The configuration names, for messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
