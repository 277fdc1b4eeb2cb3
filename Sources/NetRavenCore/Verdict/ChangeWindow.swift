public import Foundation

/// A recurring maintenance window: it opens at the times of a cron expression in a time zone and stays open for a
/// duration (elapsed time, so a window over a daylight-saving change is as long as written).
public struct ChangeWindow: Sendable, Equatable {
    public var name: String
    /// Device names, groups or tags the window covers; empty = every device.
    public var devices: [String]
    /// When it opens (cron timing and its time zone; see ``SweepSchedule`` for how DST gaps and repeats are read).
    public var opens: SweepSchedule
    public var duration: Duration

    public init(name: String, devices: [String] = [], opens: SweepSchedule, duration: Duration) {
        self.name = name
        self.devices = devices
        self.opens = opens
        self.duration = duration
    }

    /// Whether the window is open at `date`: it opened at some time `s` with `s <= date < s + duration`.
    public func contains(_ date: Date) -> Bool {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return opens.nextSlot(after: date.addingTimeInterval(-seconds)) <= date
    }
}
