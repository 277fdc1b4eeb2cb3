import Foundation
import NetRavenTestSupport
import Testing

@testable import NetRavenCore

/// The `sweep:` and `journal:` sections of netraven.yaml, and their errors with file:line:column.
@Suite struct SweepConfigurationTests {
    let fixture: SectionFixture

    init() throws {
        fixture = try SectionFixture(
            inventory: """
                defaults: {credentials: lab, platform: cisco_ios}
                devices:
                  - {name: r1, host: 10.0.0.1, group: core}
                  - {name: r2, host: 10.0.0.2, group: edge}
                """)
    }

    func load(_ extra: String) throws -> Configuration { try fixture.load(extra) }

    /// `line:column message` for each problem.
    func problems(_ extra: String) -> [String] { fixture.problems(extra, separator: " ") }

    @Test func defaultsWhenTheSectionsAreMissing() throws {
        let settings = try load("").settings
        #expect(settings.journal.retentionDays == 30)
        #expect(settings.sweep.enabled)
        #expect(settings.sweep.schedule == .daily)
        #expect(settings.sweep.groups.isEmpty)
    }

    @Test func readsScheduleGroupsZoneAndJitter() throws {
        let settings = try load(
            """
            journal:
              retention_days: 7
            sweep:
              enabled: false
              every: 6h
              jitter: 5m
              time_zone: Europe/Paris
              groups:
                core: {cron: "30 2 * * mon-fri"}
                edge: {every: 12h, jitter: 0s, time_zone: UTC}
            """
        ).settings
        #expect(settings.journal.retentionDays == 7)
        #expect(settings.journal.retention == .seconds(7 * 86_400))
        let sweep = settings.sweep
        #expect(!sweep.enabled)
        #expect(sweep.schedule.timing == .interval(.seconds(6 * 3600)))
        #expect(sweep.schedule.jitter == .seconds(300))
        let core = sweep.schedule(forGroup: "core")
        #expect(core.timing == .cron(try CronExpression("30 2 * * mon-fri")))
        #expect(core.timeZone.identifier == "Europe/Paris", "inherits the section's zone")
        #expect(core.jitter == .seconds(300), "inherits the section's jitter")
        let edge = sweep.schedule(forGroup: "edge")
        #expect(
            edge.timing == .interval(.seconds(12 * 3600)) && edge.jitter == .zero
                && edge.timeZone == TimeZone(identifier: "UTC"))
        #expect(sweep.schedule(forGroup: "other") == sweep.schedule)
        #expect(core.description == "cron '30 2 * * mon-fri' Europe/Paris (jitter 5m)")
    }

    @Test func reportsEachProblemAtItsPosition() {
        let found = problems(
            """
            journal:
              retention_days: 0
              keep: forever
            sweep:
              cron: "0 0 30 2 *"
              time_zone: Mars/Olympus
              groups:
                core: {cron: "61 * * * *"}
                edge: {every: 1h, cron: "0 * * * *"}
                lab: {every: 30s}
                nowhere: {jitter: 5m}
            """)
        let expected = [
            "5:19 journal.retention_days must be between 1 and 36500, found 0",
            "6:3 unknown key 'keep' in journal",
            "8:9 sweep.cron '0 0 30 2 *' is not a valid cron expression: day-of-month field: day 30 never",
            "9:14 sweep.time_zone 'Mars/Olympus' is not a known time zone",
            "11:18 sweep.groups.core.cron '61 * * * *' is not a valid cron expression: minute field: 61 is out",
            "12:11 sweep.groups.edge has both 'every' and 'cron'; choose one",
            "13:5 sweep.groups: no group 'lab' in the inventory (groups: core, edge)",
            "13:18 sweep.groups.lab.every must be at least 1m, found 30s",
            "14:5 sweep.groups: no group 'nowhere' in the inventory",
            "14:14 sweep.groups.nowhere needs 'every' (an interval such as 6h) or 'cron'",
        ]
        for prefix in expected {
            #expect(found.contains { $0.hasPrefix(prefix) }, "missing \(prefix) in \(found)")
        }
        #expect(found.count == expected.count, "\(found)")
    }

    @Test func jitterMustBeShorterThanTheInterval() {
        #expect(
            problems("sweep: {every: 1h, jitter: 1h}\n") == [
                "4:28 sweep.jitter must be shorter than the interval (1h)"
            ])
    }
}
