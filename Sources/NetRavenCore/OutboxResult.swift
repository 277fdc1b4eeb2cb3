/// What an outbox handler says about one delivery attempt.
public enum OutboxResult: Sendable, Equatable {
    /// Done: the item is finished.
    case delivered
    /// Not now (endpoint down, 5xx, network, a lock): tried again after a backoff, across restarts.
    case retry(String)
    /// Never: the item is kept as rejected with the reason, logged at error, and no longer holds back its key.
    case reject(String)

    /// The result for a failed attempt: a transient failure is retried, any other rejected. Senders' errors say
    /// `isTransient`; pass it here with their description (which never holds a secret).
    public static func failed(_ reason: String, isTransient: Bool) -> OutboxResult {
        isTransient ? .retry(reason) : .reject(reason)
    }
}
