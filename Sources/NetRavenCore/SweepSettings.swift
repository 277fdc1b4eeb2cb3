import Foundation

/// The `sweep:` section of `netraven.yaml`: when the agent captures every device without waiting for an event.
public struct SweepSettings: Sendable, Equatable {
    /// Scheduled sweeps run at all (`netraven sweep` by hand always works).
    public var enabled: Bool
    /// The schedule of devices whose group has none of its own.
    public var schedule: SweepSchedule
    /// Schedules for particular inventory groups.
    public var groups: [String: SweepSchedule]

    public init(enabled: Bool = true, schedule: SweepSchedule = .daily, groups: [String: SweepSchedule] = [:]) {
        self.enabled = enabled
        self.schedule = schedule
        self.groups = groups
    }

    /// The schedule that applies to devices of `group`.
    public func schedule(forGroup group: String) -> SweepSchedule {
        groups[group] ?? schedule
    }
}

extension ConfigurationLoader {
    static let scheduleKeys: Set<String> = ["every", "cron", "time_zone", "jitter"]

    /// Reads the section; group names are checked against the inventory's groups (nil: the inventory did not load).
    func readSweep(_ node: NodeReader, inventoryGroups: Set<String>?) -> SweepSettings {
        var sweep = SweepSettings()
        guard let map = node.mapping(allowed: Self.scheduleKeys.union(["enabled", "groups"])) else { return sweep }
        sweep.enabled = map["enabled"]?.bool() ?? true
        if let schedule = readSchedule(map, inherited: sweep.schedule) {
            sweep.schedule = schedule
        }
        guard let groupsNode = map["groups"], let entries = groupsNode.namedEntries() else { return sweep }
        for (name, keyLocation, value) in entries {
            if let inventoryGroups, !inventoryGroups.contains(name) {
                let known = inventoryGroups.sorted().joined(separator: ", ")
                value.diagnostics.add(
                    keyLocation.diagnostic(
                        "sweep.groups: no group '\(name)' in the inventory (groups: \(known.isEmpty ? "none" : known))")
                )
            }
            guard let groupMap = value.mapping(allowed: Self.scheduleKeys) else { continue }
            if !groupMap.has("every") && !groupMap.has("cron") {
                value.error("\(value.path) needs 'every' (an interval such as 6h) or 'cron' (such as \"30 2 * * *\")")
                continue
            }
            // A group inherits the section's time zone and jitter unless it sets its own.
            if let schedule = readSchedule(groupMap, inherited: sweep.schedule) { sweep.groups[name] = schedule }
        }
        return sweep
    }

    /// One schedule: `every` or `cron`, optional `time_zone` and `jitter`; `inherited` supplies what is not set.
    func readSchedule(_ map: MappingReader, inherited: SweepSchedule) -> SweepSchedule? {
        var schedule = inherited
        var valid = true
        switch (map["every"], map["cron"]) {
        case (.some, .some):
            map.reader.error("\(map.reader.path) has both 'every' and 'cron'; choose one")
            valid = false
        case (.some(let every), nil):
            if let interval = every.duration() {
                if interval < .seconds(60) {
                    every.error("\(every.path) must be at least 1m, found \(SweepSchedule.format(interval))")
                    valid = false
                } else {
                    schedule.timing = .interval(interval)
                }
            } else {
                valid = false
            }
        case (nil, .some(let cron)):
            if let text = cron.string() {
                do {
                    schedule.timing = .cron(try CronExpression(text))
                } catch {
                    cron.error("\(cron.path) '\(text)' is not a valid cron expression: \(error)")
                    valid = false
                }
            } else {
                valid = false
            }
        case (nil, nil):
            break
        }
        if let zoneNode = map["time_zone"], let name = zoneNode.string() {
            if let zone = TimeZone(identifier: name) {
                schedule.timeZone = zone
            } else {
                zoneNode.error(
                    "\(zoneNode.path) '\(name)' is not a known time zone (use a name such as UTC or Europe/Paris)")
                valid = false
            }
        }
        if let jitterNode = map["jitter"] {
            if let jitter = jitterNode.duration() { schedule.jitter = jitter } else { valid = false }
            if case .interval(let interval) = schedule.timing, schedule.jitter >= interval {
                jitterNode.error(
                    "\(jitterNode.path) must be shorter than the interval (\(SweepSchedule.format(interval)))")
                valid = false
            }
        }
        return valid ? schedule : nil
    }
}
