/// Limits how often the same kind of warning is logged per source: at most `maxLinesPerInterval` lines per
/// source in each interval, then silence, and the next line after the interval says how many were left out.
///
/// Used for rejected syslog and trap senders, so a misconfigured device sending 1,000 messages a second produces a
/// few log lines, not a flood. A pure value: the caller passes the time, so tests drive it with a manual clock.
public struct WarningRateLimiter<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// What to do with one occurrence.
    public enum Decision: Sendable, Equatable {
        /// Log it; `suppressedBefore` occurrences from this source were left out since its last logged line.
        case log(suppressedBefore: Int)
        /// Count it, don't log it.
        case suppress
    }

    private struct Window: Sendable {
        var start: Instant
        var logged: Int
        var suppressed: Int
    }

    /// Lines per source per interval.
    public let maxLinesPerInterval: Int
    /// How long a window lasts.
    public let interval: Duration
    /// Sources tracked at once; bounded so a spoofed-address flood cannot grow memory without limit.
    public let maxSources: Int
    private var windows: [String: Window] = [:]

    /// A limiter allowing `maxLinesPerInterval` lines per source per `interval`.
    public init(maxLinesPerInterval: Int = 5, interval: Duration = .seconds(60), maxSources: Int = 1024) {
        self.maxLinesPerInterval = max(1, maxLinesPerInterval)
        self.interval = interval
        self.maxSources = max(1, maxSources)
    }

    /// Records one occurrence from `source` at `now` and says whether to log it.
    public mutating func record(source: String, at now: Instant) -> Decision {
        if var window = windows[source], now < window.start.advanced(by: interval) {
            if window.logged < maxLinesPerInterval {
                // Nothing is suppressed before the window's quota is used up.
                window.logged += 1
                windows[source] = window
                return .log(suppressedBefore: 0)
            }
            window.suppressed += 1
            windows[source] = window
            return .suppress
        }
        let carried = windows[source]?.suppressed ?? 0
        if windows[source] == nil && windows.count >= maxSources { evict(at: now) }
        windows[source] = Window(start: now, logged: 1, suppressed: 0)
        return .log(suppressedBefore: carried)
    }

    /// Sources currently tracked (for tests and diagnostics).
    public var trackedSources: Int { windows.count }

    /// Drops windows that have ended; when none has, the oldest one (its suppressed count is lost, which only
    /// shortens a summary line).
    private mutating func evict(at now: Instant) {
        windows = windows.filter { now < $0.value.start.advanced(by: interval) || $0.value.suppressed > 0 }
        if windows.count >= maxSources, let oldest = windows.min(by: { $0.value.start < $1.value.start }) {
            windows[oldest.key] = nil
        }
    }
}
