/// A credential for `SSHSession.authenticate(_:)`. Its descriptions never show the secret, so it is safe
/// to interpolate into logs.
public enum SSHAuth: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Tried as `password`, then as `keyboard-interactive` (many network devices offer only the latter).
    case password(String)
    /// A private key file (OpenSSH, PEM or PKCS#8), optionally encrypted.
    case privateKey(path: String, passphrase: String?)

    /// The credential's kind, secret redacted.
    public var description: String {
        switch self {
        case .password: "password(<redacted>)"
        case .privateKey(let path, let passphrase):
            "privateKey(path: \(path), passphrase: \(passphrase == nil ? "none" : "<redacted>"))"
        }
    }

    /// Same as `description`: `dump()` and `#expect` must not leak the secret either.
    public var debugDescription: String { description }
}
