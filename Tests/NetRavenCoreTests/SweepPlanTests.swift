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
