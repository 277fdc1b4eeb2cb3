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
