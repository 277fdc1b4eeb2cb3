/// What `SSHSession.connect()` concluded about the server's host key.
public struct HostKeyVerdict: Sendable, Hashable {
    /// The decision taken.
    public enum Outcome: String, Sendable, Hashable {
        /// The key matched an entry in known_hosts.
        case known
        /// The host was unknown and its key was recorded (policy `.tofu`).
        case learned
        /// The key was not checked (policy `.off`).
        case unchecked
    }

    /// The decision taken.
    public var outcome: Outcome
    /// OpenSSH-style fingerprint of the server's key, `SHA256:<base64>`.
    public var fingerprint: String
    /// The key type as libssh names it, e.g. `ssh-ed25519`, `ssh-rsa`.
    public var keyType: String

    /// Makes a verdict (public so callers can build expectations in tests).
    public init(outcome: Outcome, fingerprint: String, keyType: String) {
        self.outcome = outcome
        self.fingerprint = fingerprint
        self.keyType = keyType
    }
}
