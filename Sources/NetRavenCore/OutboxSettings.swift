/// The `outbox:` section of `netraven.yaml`: how failed deliveries (pushes, uploads, alerts) are retried.
public struct OutboxSettings: Sendable, Equatable {
    /// Retry schedule and stuck thresholds.
    public var retry: OutboxRetryPolicy
    /// Deliveries at once (items of different keys; one key is always one at a time).
    public var concurrency: Int

    /// The defaults: see ``OutboxRetryPolicy/init(backoff:stuckAfter:stuckAttempts:)``; 4 deliveries at once.
    public init(retry: OutboxRetryPolicy = OutboxRetryPolicy(), concurrency: Int = 4) {
        self.retry = retry
        self.concurrency = concurrency
    }
}

extension ConfigurationLoader {
    /// Reads `outbox: {retry_initial, retry_max, stuck_after, stuck_attempts, concurrency}`.
    func readOutbox(_ node: NodeReader) -> OutboxSettings {
        var outbox = OutboxSettings()
        let keys: Set<String> = ["retry_initial", "retry_max", "stuck_after", "stuck_attempts", "concurrency"]
        guard let map = node.mapping(allowed: keys) else { return outbox }
        var backoff = outbox.retry.backoff
        backoff.initial = map["retry_initial"]?.duration() ?? backoff.initial
        backoff.maximum = map["retry_max"]?.duration() ?? backoff.maximum
        if backoff.initial <= .zero, let node = map["retry_initial"] {
            node.error("outbox.retry_initial must be longer than 0")
        }
        if backoff.maximum < backoff.initial, let node = map["retry_max"] ?? map["retry_initial"] {
            node.error(
                "outbox.retry_max (\(backoff.maximum)) must not be shorter than outbox.retry_initial (\(backoff.initial))")
        }
        outbox.retry.backoff = backoff
        outbox.retry.stuckAfter = map["stuck_after"]?.duration() ?? outbox.retry.stuckAfter
        outbox.retry.stuckAttempts = map["stuck_attempts"]?.int(in: 1...1_000_000) ?? outbox.retry.stuckAttempts
        outbox.concurrency = map["concurrency"]?.int(in: 1...64) ?? outbox.concurrency
        return outbox
    }
}
