public import Foundation

/// When scheduled sweeps run: a fixed interval or a cron expression, in a time zone, with a random delay.
///
/// Intervals are aligned to whole multiples since 1970-01-01 00:00 UTC (`every: 6h` runs at 00:00, 06:00, 12:00 and
/// 18:00 UTC), so a restart does not shift them. Cron times are wall-clock times in `timeZone`. Around daylight
/// saving changes: a local time the clocks skip (02:30 on a spring-forward night) runs at the moment they jump,
/// once even when several skipped times are selected; a local time that occurs twice (autumn) runs once, the first
/// time it occurs.
public struct SweepSchedule: Sendable, Equatable, CustomStringConvertible {
    /// What decides the run times.
    public enum Timing: Sendable, Equatable {
        case interval(Duration)
        case cron(CronExpression)
    }

    public var timing: Timing
    /// The zone cron times are read in (intervals do not depend on it).
    public var timeZone: TimeZone
    /// Each run starts at a random point between its scheduled time and this much later, so many agents (or many
    /// groups) do not hit the devices at the same second. Keep it smaller than the spacing between runs.
    public var jitter: Duration

    public init(timing: Timing, timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .current, jitter: Duration = .zero)
    {
        self.timing = timing
        self.timeZone = timeZone
        self.jitter = jitter
    }

    /// The default: every 24 hours, at 00:00 UTC.
    public static let daily = SweepSchedule(timing: .interval(.seconds(86_400)))

    public var description: String {
        var text: String
        switch timing {
        case .interval(let interval): text = "every \(Self.format(interval))"
        case .cron(let expression): text = "cron '\(expression.text)' \(timeZone.identifier)"
        }
        if jitter > .zero { text += " (jitter \(Self.format(jitter)))" }
        return text
    }

    /// The next run strictly after `date`, jittered with the system random generator.
    public func nextRun(after date: Date) -> Date {
        var generator = SystemRandomNumberGenerator()
        return nextRun(after: date, using: &generator)
    }

    /// The next run strictly after `date`, jittered with `generator` (tests pass a seeded one).
    public func nextRun<Generator: RandomNumberGenerator>(after date: Date, using generator: inout Generator) -> Date {
        let slot = nextSlot(after: date)
        let jitterMilliseconds = jitter.scheduleMilliseconds
        guard jitterMilliseconds > 0 else { return slot }
        let delay = Int64.random(in: 0...jitterMilliseconds, using: &generator)
        return slot.addingTimeInterval(Double(delay) / 1000)
    }

    /// The next scheduled time strictly after `date`, before jitter.
    public func nextSlot(after date: Date) -> Date {
        switch timing {
        case .interval(let interval):
            let step = max(interval.scheduleMilliseconds, 1)
            let now = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
            let next = (CivilDate.floorDivide(now, step) + 1) * step
            return Date(timeIntervalSince1970: Double(next) / 1000)
        case .cron(let expression):
            return nextCronSlot(expression, after: date)
        }
    }

    private func nextCronSlot(_ expression: CronExpression, after date: Date) -> Date {
        let instant = Int64(date.timeIntervalSince1970.rounded(.down))
        let wallNow = instant + Int64(timeZone.secondsFromGMT(for: date))
        // A wall time at or before now can only map to an instant before `date` (first occurrences only), so the
        // walk starts here; the instant check below settles the current minute and the repeated hour of a fall-back.
        var result: Date?
        expression.forEachWallMinute(after: wallNow - 1) { wall in
            let candidate = instantOf(wall: wall)
            if candidate > date {
                result = candidate
                return true
            }
            return false
        }
        return result ?? .distantFuture
    }

    /// The first instant whose local time is `wall`, or the instant the clocks jump over it.
    func instantOf(wall: Int64) -> Date {
        let before = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall - 86_400))))
        let after = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall + 86_400))))
        let valid = Set([before, after]).map { wall - $0 }.filter {
            Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double($0)))) == wall - $0
        }
        if let first = valid.min() { return Date(timeIntervalSince1970: Double(first)) }
        // A gap: find the transition between wall - after (still the old offset) and wall - before (the new one).
        var low = wall - max(before, after)
        var high = wall - min(before, after)
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(middle)))) == before {
                low = middle
            } else {
                high = middle
            }
        }
        return Date(timeIntervalSince1970: Double(high))
    }

    static func format(_ duration: Duration) -> String {
        let milliseconds = duration.scheduleMilliseconds
        for (unit, size) in [("h", Int64(3_600_000)), ("m", 60_000), ("s", 1000)] where milliseconds % size == 0 {
            return "\(milliseconds / size)\(unit)"
        }
        return "\(milliseconds)ms"
    }
}

extension Duration {
    /// Whole milliseconds, rounded down (schedules need no finer grain).
    var scheduleMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
