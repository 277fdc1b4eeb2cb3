import Foundation
import Testing

@testable import NetRavenCore

/// Cron parsing and next-run computation, including the calendar's and daylight saving's awkward corners.
@Suite struct SweepScheduleTests {
    static func date(_ text: String) -> Date {
        guard let date = ISO8601DateFormatter().date(from: text) else { fatalError("bad test date \(text)") }
        return date
    }

    static func next(_ cron: String, after: String, zone: String = "UTC") throws -> String {
        let schedule = SweepSchedule(
            timing: .cron(try CronExpression(cron)), timeZone: try #require(TimeZone(identifier: zone)))
        return ISO8601DateFormatter().string(from: schedule.nextSlot(after: date(after)))
    }

    @Test(arguments: [
        ("*/15 * * * *", [0, 15, 30, 45]),
        ("10-50/20 * * * *", [10, 30, 50]),
        ("5/20 * * * *", [5, 25, 45]),
        ("1,2,3-4,59 * * * *", [1, 2, 3, 4, 59]),
    ])
    func minuteFieldForms(cron: String, minutes: [Int]) throws {
        #expect(try CronExpression(cron).minutes == minutes)
    }

    @Test func namesAndSundayAsSeven() throws {
        let expression = try CronExpression("0 0 * JAN-mar,dec sun,7,Mon-WED")
        #expect(expression.months == [1, 2, 3, 12])
        #expect(expression.daysOfWeek == [0, 1, 2, 3])
        let daily = try CronExpression("@daily")
        #expect(daily.minutes == [0] && daily.hours == [0] && daily.dayOfMonthIsStar && daily.dayOfWeekIsStar)
        #expect(daily.months.count == 12 && daily.text == "@daily")
    }

    @Test(arguments: [
        ("60 * * * *", "minute field: 60 is out of range 0-59"),
        ("* 24 * * *", "hour field: 24 is out of range 0-23"),
        ("* * 0 * *", "day-of-month field: 0 is out of range 1-31"),
        ("* * * 13 *", "month field: 13 is out of range 1-12"),
        ("* * * * 8", "day-of-week field: 8 is out of range 0-7"),
        ("* * * foo *", "month field: 'foo' in 'foo' is not a number or a name (jan, feb"),
        ("*/0 * * * *", "minute field: step '0' in '*/0' must be a whole number of at least 1"),
        ("30-10 * * * *", "minute field: range '30-10' runs backwards"),
        ("1,,2 * * * *", "minute field: empty list item"),
        ("* * * *", "expected 5 fields"),
        ("* * * * * *", "expected 5 fields"),
        ("@often", "unknown macro '@often'"),
        ("0 0 30 2 *", "day-of-month field: day 30 never occurs in feb: this expression would never run"),
        ("0 0 31 apr,jun,sep,nov *", "day-of-month field: day 31 never occurs in apr, jun, sep, nov"),
    ])
    func rejectsWithFieldAndReason(cron: String, message: String) {
        #expect {
            try CronExpression(cron)
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }

    @Test(arguments: ["0 0 29 2 *", "0 0 30 2 mon", "0 0 31 1-12 *", "0 0 31 2,3 *"])
    func acceptsExpressionsThatCanRun(cron: String) throws {
        _ = try CronExpression(cron)
    }

    @Test(arguments: [
        // Plain daily time, and "strictly after".
        ("30 2 * * *", "2026-01-01T00:00:00Z", "2026-01-01T02:30:00Z"),
        ("30 2 * * *", "2026-01-01T02:30:00Z", "2026-01-02T02:30:00Z"),
        ("30 2 * * *", "2026-01-01T02:29:59Z", "2026-01-01T02:30:00Z"),
        // Month ends: the 31st skips the short months; the last of December rolls into a new year.
        ("0 0 31 * *", "2026-04-01T00:00:00Z", "2026-05-31T00:00:00Z"),
        ("59 23 31 12 *", "2026-12-31T23:59:00Z", "2027-12-31T23:59:00Z"),
        ("0 0 1 * *", "2026-01-31T12:00:00Z", "2026-02-01T00:00:00Z"),
        // Feb 29: the next leap year, and 2100 is not one.
        ("0 0 29 2 *", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z"),
        ("0 0 29 2 *", "2096-03-01T00:00:00Z", "2104-02-29T00:00:00Z"),
        // Day of month OR day of week when both are restricted (Friday the 6th comes before the 13th).
        ("0 0 13 * fri", "2026-02-01T00:00:00Z", "2026-02-06T00:00:00Z"),
        // A '*'-started day field does not widen: days 1, 11, 21, 31 that are Mondays.
        ("0 0 */10 * mon", "2026-01-01T00:00:00Z", "2026-05-11T00:00:00Z"),
        // Step range over hours on weekdays: Friday evening → Monday 08:00.
        ("0 8-18/4 * * mon-fri", "2026-01-02T19:00:00Z", "2026-01-05T08:00:00Z"),
        ("0 8-18/4 * * mon-fri", "2026-01-05T12:00:00Z", "2026-01-05T16:00:00Z"),
    ])
    func nextRunInUTC(cron: String, after: String, expected: String) throws {
        #expect(try Self.next(cron, after: after) == expected)
    }

    @Test(arguments: [
        // Berlin springs forward 2026-03-29 at 02:00 CET (01:00Z): 02:30 does not exist and runs at the jump.
        ("30 2 * * *", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z"),
        ("30 2 * * *", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"),
        // Hourly across the gap: 02:00 and 03:00 local are the same instant; it runs once.
        ("0 * * * *", "2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z"),
        ("0 * * * *", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z"),
        // Berlin falls back 2026-10-25 at 03:00 CEST (01:00Z): 02:30 happens twice and runs the first time only.
        ("30 2 * * *", "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z"),
        ("30 2 * * *", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"),
        // A time before the change keeps summer time, after it winter time.
        ("0 12 * * *", "2026-10-24T12:00:00Z", "2026-10-25T11:00:00Z"),
    ])
    func nextRunAcrossDaylightSavingInBerlin(cron: String, after: String, expected: String) throws {
        #expect(try Self.next(cron, after: after, zone: "Europe/Berlin") == expected)
    }

    @Test func newYorkSpringForwardAndLateEveningRollover() throws {
        // 2026-03-08: 02:00 EST → 03:00 EDT at 07:00Z.
        #expect(
            try Self.next("15 2 * * *", after: "2026-03-08T06:00:00Z", zone: "America/New_York")
                == "2026-03-08T07:00:00Z")
        // 23:30 local on Dec 31 is the next day in UTC.
        #expect(
            try Self.next("30 23 31 12 *", after: "2026-06-01T00:00:00Z", zone: "America/New_York")
                == "2027-01-01T04:30:00Z")
    }

    @Test func intervalsAlignToTheEpochSoRestartsDoNotShiftThem() {
        let schedule = SweepSchedule(timing: .interval(.seconds(6 * 3600)))
        let formatter = ISO8601DateFormatter()
        #expect(
            formatter.string(from: schedule.nextSlot(after: Self.date("2026-01-01T05:59:59Z")))
                == "2026-01-01T06:00:00Z")
        #expect(
            formatter.string(from: schedule.nextSlot(after: Self.date("2026-01-01T06:00:00Z")))
                == "2026-01-01T12:00:00Z")
    }

    @Test func jitterComesFromTheInjectedGeneratorAndStaysInItsWindow() throws {
        let schedule = SweepSchedule(
            timing: .cron(try CronExpression("0 3 * * *")), jitter: .seconds(600))
        let after = Self.date("2026-01-01T00:00:00Z")
        let slot = Self.date("2026-01-01T03:00:00Z")
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        var delays: Set<Double> = []
        for _ in 0..<50 {
            let run = schedule.nextRun(after: after, using: &first)
            #expect(run == schedule.nextRun(after: after, using: &second), "same seed, same runs")
            let delay = run.timeIntervalSince(slot)
            #expect(delay >= 0 && delay <= 600)
            delays.insert(delay)
        }
        #expect(delays.count > 10, "the jitter varies: \(delays.count) distinct delays")
        #expect(
            SweepSchedule(timing: .interval(.seconds(3600))).nextRun(after: after) == Self.date("2026-01-01T01:00:00Z"))
    }
}

/// SplitMix64: a tiny deterministic generator for tests.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
