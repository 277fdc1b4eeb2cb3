import Foundation
import Testing

@testable import NetRavenCore

/// Headers with UTC or a numeric offset get their dates from integer arithmetic, not Calendar; it must give the
/// dates Calendar gives, leniency included (a day past the month's end rolls over, second 60 is 59).
@Suite struct SyslogTimestampArithmeticTests {
    static func calendar(secondsEast: Int) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: secondsEast) ?? calendar.timeZone
        return calendar
    }

    @Test func fixedZoneDatesMatchCalendar() throws {
        var random = SeededGenerator(seed: 0x5157_4C06)
        let offsets = [0, 3600, -18_000, 19_800, 45_900, -43_200, 50_400]
        for _ in 0..<3000 {
            let year = Int.random(in: 1970...2400, using: &random)
            let month = Int.random(in: 1...12, using: &random)
            let day = Int.random(in: 1...31, using: &random)
            let time = (
                Int.random(in: 0...23, using: &random), Int.random(in: 0...59, using: &random),
                Int.random(in: 0...60, using: &random), Int.random(in: 0...999, using: &random) * 1_000_000
            )
            let offset = offsets.randomElement(using: &random) ?? 0
            let fast = try #require(
                SyslogTimestamp.makeDate(year: year, month: month, day: day, time: time, zone: .fixed(secondsEast: offset)))
            let components = DateComponents(
                year: year, month: month, day: day, hour: time.0, minute: time.1, second: min(time.2, 59),
                nanosecond: time.3)
            let expected = try #require(Self.calendar(secondsEast: offset).date(from: components))
            #expect(
                abs(fast.timeIntervalSince(expected)) < 0.001,
                "\(year)-\(month)-\(day) \(time) at \(offset): \(fast) vs \(expected)")
        }
    }

    @Test func yearOfAnInstantMatchesCalendar() {
        var random = SeededGenerator(seed: 0x7EA2)
        // Around every New Year from 1970 to 2100, on both sides of midnight in the zone.
        for year in 1970...2100 {
            for offset in [0, 3600, -36_000, 50_400] {
                let calendar = Self.calendar(secondsEast: offset)
                let newYear = calendar.date(from: DateComponents(year: year, month: 1, day: 1)) ?? Date()
                for delta in [-1.0, -0.5, 0, 0.5, 1, Double(Int.random(in: 2...31_000_000, using: &random))] {
                    let instant = newYear.addingTimeInterval(delta)
                    #expect(
                        SyslogTimestamp.calendarYear(of: instant, in: .fixed(secondsEast: offset))
                            == calendar.component(.year, from: instant),
                        "\(instant) at \(offset)")
                }
            }
        }
    }

    @Test func rangesOutsideTheHeaderRulesGiveNoDate() {
        #expect(SyslogTimestamp.makeDate(year: 1969, month: 12, day: 31, time: (0, 0, 0, 0), zone: .utc) == nil)
        #expect(SyslogTimestamp.makeDate(year: 2024, month: 13, day: 1, time: (0, 0, 0, 0), zone: .utc) == nil)
        #expect(SyslogTimestamp.makeDate(year: 2024, month: 2, day: 0, time: (0, 0, 0, 0), zone: .utc) == nil)
        #expect(SyslogTimestamp.makeDate(year: 2024, month: 2, day: 1, time: (0, 0, 0, 0), zone: nil) == nil)
        #expect(
            SyslogTimestamp.makeDate(year: 2024, month: 2, day: 29, time: (12, 0, 0, 0), zone: .utc)
                == Date(timeIntervalSince1970: 1_709_208_000))
    }
}
