import Foundation
import Synchronization

/// The process-wide list of secret values that must never be written anywhere: log lines, error messages, output.
///
/// Every `Secret` registers itself on creation; the log handler and error printers call `redact(_:)`.
public final class SecretRedactor: Sendable {
    /// The one instance every `Secret` registers with.
    public static let shared = SecretRedactor()

    private let secrets = Mutex<Set<String>>([])

    /// Too short a value would redact ordinary words ("a", "no"), and such a value is no secret anyway.
    static let minimumLength = 3

    public init() {}

    public func register(_ value: String) {
        guard value.count >= Self.minimumLength else { return }
        _ = secrets.withLock { $0.insert(value) }
    }

    /// `text` with every registered secret replaced by `<redacted>`; longest first, so a secret containing another
    /// is removed whole.
    public func redact(_ text: String) -> String {
        let current = secrets.withLock { $0 }
        guard !current.isEmpty else { return text }
        var result = text
        for secret in current.sorted(by: { $0.count > $1.count }) where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return result
    }
}
