public import Foundation

/// When the outbox tries a failed delivery again, and when an item counts as stuck (for alerting).
///
/// Pure: the caller passes the times and the random source, so tests pin the schedule with explicit dates.
public struct OutboxRetryPolicy: Sendable, Equatable {
    /// Why an item is stuck.
    public enum Stuck: Sendable, Equatable, CustomStringConvertible {
        /// Pending for longer than ``OutboxRetryPolicy/stuckAfter`` (the duration it has been pending).
        case pendingTooLong(Duration)
        /// More than ``OutboxRetryPolicy/stuckAttempts`` attempts.
        case tooManyAttempts(Int)

        public var description: String {
            switch self {
            case .pendingTooLong(let pending): "pending for \(Int(pending.seconds.rounded())) s"
            case .tooManyAttempts(let attempts): "\(attempts) attempts failed"
            }
        }
    }

    /// The delay before attempt n+1 after attempt n failed: exponential, capped, with jitter.
    public var backoff: Backoff
    /// An item pending longer than this is stuck.
    public var stuckAfter: Duration
    /// An item with more failed attempts than this is stuck.
    public var stuckAttempts: Int

    /// The defaults: 10 s, 20 s, 40 s, ... up to 15 min between attempts (±20 %); stuck after 1 h or 10 attempts.
    public init(
        backoff: Backoff = Backoff(initial: .seconds(10), maximum: .seconds(900), multiplier: 2, jitter: 0.2),
        stuckAfter: Duration = .seconds(3600), stuckAttempts: Int = 10
    ) {
        self.backoff = backoff
        self.stuckAfter = stuckAfter
        self.stuckAttempts = stuckAttempts
    }

    /// When to try again after attempt number `attempts` (1 = the first attempt) failed at `failedAt`; `unit` is a
    /// random number in 0...1 that spreads items failing together.
    public func nextAttempt(afterAttempt attempts: Int, failedAt: Date, unit: Double) -> Date {
        failedAt.addingTimeInterval(backoff.delay(attempt: max(attempts, 1), unit: unit).seconds)
    }

    /// ``nextAttempt(afterAttempt:failedAt:unit:)`` with the jitter drawn from `generator`.
    public func nextAttempt<Generator: RandomNumberGenerator>(
        afterAttempt attempts: Int, failedAt: Date, using generator: inout Generator
    ) -> Date {
        nextAttempt(afterAttempt: attempts, failedAt: failedAt, unit: Double.random(in: 0...1, using: &generator))
    }

    /// Whether an item created at `createdAt` that is still pending after `attempts` attempts is stuck at `now`.
    /// The attempt count wins when both hold (it says more about why).
    public func stuck(createdAt: Date, attempts: Int, now: Date) -> Stuck? {
        if attempts > stuckAttempts { return .tooManyAttempts(attempts) }
        let pending = now.timeIntervalSince(createdAt)
        if pending > stuckAfter.seconds { return .pendingTooLong(.milliseconds(Int64((pending * 1000).rounded()))) }
        return nil
    }
}
