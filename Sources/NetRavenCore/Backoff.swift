import Foundation

/// Exponential backoff with jitter: the delay before retry number `attempt` (1-based).
///
/// Pure: the caller supplies the random number, so tests pin the schedule.
public struct Backoff: Sendable, Equatable {
    public var initial: Duration
    public var maximum: Duration
    public var multiplier: Double
    /// Fraction of the delay that is randomized (0.2 = ±20 %), so devices retried together spread out.
    public var jitter: Double

    public init(initial: Duration = .seconds(2), maximum: Duration = .seconds(30), multiplier: Double = 2, jitter: Double = 0.2) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
        self.jitter = jitter
    }

    /// The delay before retry `attempt` (1 = first retry). `unit` is a random number in 0...1.
    public func delay(attempt: Int, unit: Double) -> Duration {
        let base = initial.seconds * pow(multiplier, Double(max(attempt - 1, 0)))
        let capped = min(base, maximum.seconds)
        let spread = capped * jitter * (2 * min(max(unit, 0), 1) - 1)
        return .milliseconds(Int64(((capped + spread) * 1000).rounded()))
    }

    /// The delay with a random jitter.
    public func delay(attempt: Int) -> Duration {
        delay(attempt: attempt, unit: Double.random(in: 0...1))
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    public var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
