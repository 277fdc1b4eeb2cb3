public import Foundation

/// Which devices each sweep schedule covers: devices of a group with its own schedule follow that one, all
/// others the section's default. Pure, so the daemon's timer loop only sleeps and asks.
public struct SweepPlan: Sendable, Equatable {
    /// One schedule and the devices it sweeps.
    public struct Entry: Sendable, Equatable {
        /// The group whose schedule this is; nil for the default schedule.
        public var group: String?
        public var schedule: SweepSchedule
        public var devices: [String]
    }

    public var entries: [Entry]

    /// Builds the plan; empty when sweeps are disabled. Schedules with no devices are left out.
    public init(settings: SweepSettings, devices: [Device]) {
        guard settings.enabled else {
            entries = []
            return
        }
        var byGroup: [String: [String]] = [:]
        var rest: [String] = []
        for device in devices {
            if settings.groups[device.group] != nil {
                byGroup[device.group, default: []].append(device.name)
            } else {
                rest.append(device.name)
            }
        }
        var entries: [Entry] = []
        if !rest.isEmpty { entries.append(Entry(group: nil, schedule: settings.schedule, devices: rest)) }
        for group in byGroup.keys.sorted() {
            entries.append(Entry(group: group, schedule: settings.groups[group]!, devices: byGroup[group]!))
        }
        self.entries = entries
    }
}

/// When each schedule of a plan runs next: the sweep scheduler's decision, pure so tests drive it with dates.
///
/// Each schedule's next run is drawn once (slot + jitter); when it is due, the following one is the first slot
/// after *now*, so a run is neither repeated nor skipped whatever the jitter was.
public struct SweepTimetable: Sendable {
    private var next: [String: Date] = [:]

    /// An empty timetable: every schedule's first run is drawn when it is first seen.
    public init() {}

    /// The entries of `plan` due at `now`, and the earliest next run of any entry afterwards.
    public mutating func due<Generator: RandomNumberGenerator>(
        _ plan: SweepPlan, at now: Date, using generator: inout Generator
    ) -> (due: [SweepPlan.Entry], nextRun: Date?) {
        var due: [SweepPlan.Entry] = []
        var soonest: Date?
        let keys = Set(plan.entries.map { $0.group ?? "" })
        next = next.filter { keys.contains($0.key) }  // schedules a reload removed
        for entry in plan.entries {
            let key = entry.group ?? ""
            var when = next[key] ?? entry.schedule.nextRun(after: now, using: &generator)
            if when <= now {
                due.append(entry)
                when = entry.schedule.nextRun(after: now, using: &generator)
            }
            next[key] = when
            if soonest == nil || when < soonest! { soonest = when }
        }
        return (due, soonest)
    }
}
