import Foundation
import NetRavenCore
import Testing

@Suite struct SweepPlanTests {
    static let devices = [
        Device(name: "r1", host: "10.0.0.1", platform: "cisco_ios", group: "core", credentials: ["lab"]),
        Device(name: "r2", host: "10.0.0.2", platform: "cisco_ios", group: "edge", credentials: ["lab"]),
        Device(name: "r3", host: "10.0.0.3", platform: "cisco_ios", group: "core", credentials: ["lab"]),
    ]

    @Test func groupsWithTheirOwnScheduleLeaveTheDefault() throws {
        let hourly = SweepSchedule(timing: .interval(.seconds(3600)))
        let plan = SweepPlan(settings: SweepSettings(groups: ["core": hourly]), devices: Self.devices)
        #expect(plan.entries.map(\.group) == [nil, "core"])
        #expect(plan.entries.map(\.devices) == [["r2"], ["r1", "r3"]])
        #expect(plan.entries.last?.schedule == hourly)
    }

    @Test func disabledMeansNoSweeps() {
        #expect(SweepPlan(settings: SweepSettings(enabled: false), devices: Self.devices).entries.isEmpty)
    }

    @Test func aScheduleWithoutDevicesIsLeftOut() {
        let plan = SweepPlan(
            settings: SweepSettings(groups: ["core": .daily, "edge": .daily]), devices: Self.devices)
        #expect(plan.entries.map(\.group) == ["core", "edge"])
    }
}

@Suite struct SweepTimetableTests {
    /// A generator that always draws zero: no jitter.
    struct Zero: RandomNumberGenerator {
        mutating func next() -> UInt64 { 0 }
    }

    static let devices = [Device(name: "r1", host: "10.0.0.1", platform: "cisco_ios", group: "core", credentials: ["l"])]

    @Test func eachSlotRunsOnceNoneIsSkipped() {
        let plan = SweepPlan(
            settings: SweepSettings(schedule: SweepSchedule(timing: .interval(.seconds(60)))), devices: Self.devices)
        var timetable = SweepTimetable()
        var zero = Zero()
        let t0 = Date(timeIntervalSince1970: 6_000)  // a slot boundary
        var (due, next) = timetable.due(plan, at: t0, using: &zero)
        #expect(due.isEmpty)
        #expect(next == t0.addingTimeInterval(60))
        for minute in 1...3 {
            let at = t0.addingTimeInterval(Double(minute) * 60)
            (due, next) = timetable.due(plan, at: at.addingTimeInterval(-0.5), using: &zero)
            #expect(due.isEmpty, "not before its time")
            (due, next) = timetable.due(plan, at: at, using: &zero)
            #expect(due.map(\.devices) == [["r1"]], "minute \(minute) runs")
            #expect(next == at.addingTimeInterval(60), "the next run is the very next slot")
            (due, _) = timetable.due(plan, at: at.addingTimeInterval(1), using: &zero)
            #expect(due.isEmpty, "and runs once")
        }
    }
}
