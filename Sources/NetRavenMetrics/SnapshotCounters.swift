public import Prometheus
import Synchronization

/// Turns a component's own running totals (a listener's `counters` snapshot) into Prometheus counter increments.
///
/// Each collector keeps one of these: it remembers the total it last saw per key and adds only the difference,
/// so counters stay monotonic across several components (two daemons in one test process) and across a component
/// that restarts from zero (its new total is added whole).
public final class SnapshotCounters: Sendable {
    private let seen = Mutex<[String: Int]>([:])

    /// Creates an empty tracker.
    public init() {}

    /// Adds to `counter` what `total` grew by since the last call with `key`.
    public func advance(_ counter: Counter, key: String, to total: Int) {
        let delta = seen.withLock { seen -> Int in
            let previous = seen[key] ?? 0
            seen[key] = total
            return total >= previous ? total - previous : total
        }
        if delta > 0 { counter.increment(by: Int64(delta)) }
    }
}
