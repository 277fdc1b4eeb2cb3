/// Groups alerts per destination and limits how many are told in full.
///
/// The first alert for a destination opens a window (`AlertGrouping.window`, 30 s by default); when it closes,
/// everything that arrived meanwhile leaves as ONE batch (one message). At most `maxPerMinute` alerts per
/// destination per minute are told in full; the rest of the window goes into the batch's digest. So a sweep that
/// finds 1,000 changed devices gives one message: a few changes in full and a digest of the others.
///
/// A pure value generic over the clock's instant (the daemon uses `ContinuousClock`, tests a manual clock): the
/// owner calls `add` for each routed alert, sleeps until `nextDeadline`, then sends what `due(at:)` returns.
public struct AlertBatcher<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    private struct OpenWindow: Sendable {
        var closes: Instant
        var alerts: [Alert]
    }

    /// Grouping for destinations without their own.
    public let defaultGrouping: AlertGrouping
    /// Per destination grouping, from `alerts.destinations.NAME.grouping`.
    public let groupings: [String: AlertGrouping]
    private var windows: [String: OpenWindow] = [:]
    /// When alerts were told in full, per destination, over the last minute: the rate limit's memory.
    private var toldInFull: [String: [Instant]] = [:]

    public init(defaultGrouping: AlertGrouping = AlertGrouping(), groupings: [String: AlertGrouping] = [:]) {
        self.defaultGrouping = defaultGrouping
        self.groupings = groupings
    }

    private func grouping(_ destination: String) -> AlertGrouping {
        groupings[destination] ?? defaultGrouping
    }

    /// Queues `alert` for each of `destinations` (the router's answer).
    public mutating func add(_ alert: Alert, to destinations: [String], at now: Instant) {
        for destination in destinations {
            if windows[destination] == nil {
                windows[destination] = OpenWindow(closes: now.advanced(by: grouping(destination).window), alerts: [])
            }
            windows[destination]?.alerts.append(alert)
        }
    }

    /// When the next window closes; nil when nothing is waiting.
    public var nextDeadline: Instant? { windows.values.map(\.closes).min() }

    /// Alerts waiting in open windows, over all destinations.
    public var pendingCount: Int { windows.values.reduce(0) { $0 + $1.alerts.count } }

    /// The batches whose windows have closed by `now`, sorted by destination.
    public mutating func due(at now: Instant) -> [AlertBatch] {
        let closed = windows.filter { $0.value.closes <= now }.keys.sorted()
        return closed.map { close($0, at: now) }
    }

    /// Every waiting batch, windows closed early (at shutdown, so nothing is lost).
    public mutating func flush(at now: Instant) -> [AlertBatch] {
        windows.keys.sorted().map { close($0, at: now) }
    }

    private mutating func close(_ destination: String, at now: Instant) -> AlertBatch {
        let alerts = windows.removeValue(forKey: destination)?.alerts ?? []
        let minuteAgo = now.advanced(by: .seconds(-60))
        var recent = (toldInFull[destination] ?? []).filter { $0 > minuteAgo }
        let budget = max(0, grouping(destination).maxPerMinute - recent.count)
        let full = Array(alerts.prefix(budget))
        let rest = Array(alerts.dropFirst(budget))
        recent.append(contentsOf: Array(repeating: now, count: full.count))
        toldInFull[destination] = recent
        return AlertBatch(destination: destination, alerts: full, digest: rest.isEmpty ? nil : AlertDigest(rest))
    }
}
