/// A five-field cron expression (`minute hour day-of-month month day-of-week`) with Vixie cron's meaning.
///
/// Fields take `*`, numbers, ranges (`1-5`), lists (`1,15`), steps (`*/15`, `10-50/20`, `5/10` = `5-59/10`),
/// month names (`jan`…`dec`) and day names (`sun`…`sat`; 0 and 7 are both Sunday). The macros `@hourly`,
/// `@daily` (`@midnight`), `@weekly`, `@monthly` and `@yearly` (`@annually`) are accepted too.
/// When both day fields are restricted a day matches either of them (`0 0 1 * mon` = the 1st and every Monday);
/// when one starts with `*` only the other restricts, as in Vixie cron and cronie.
/// An expression that can never fire (`0 0 30 2 *`) is rejected when parsed, so a schedule always has a next run.
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    /// The text as written.
    public let text: String
    let minutes: [Int]
    let hours: [Int]
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    /// 0 = Sunday … 6 = Saturday (7 is folded into 0).
    let daysOfWeek: Set<Int>
    /// The day-of-month field starts with `*`.
    let dayOfMonthIsStar: Bool
    /// The day-of-week field starts with `*`.
    let dayOfWeekIsStar: Bool

    /// Why an expression was refused: which field, and what is wrong with it.
    public struct InvalidExpression: Error, Sendable, Equatable, CustomStringConvertible {
        /// The field's name (`minute`, `hour`, `day-of-month`, `month`, `day-of-week`), nil for the whole expression.
        public var field: String?
        public var reason: String

        public var description: String {
            field.map { "\($0) field: \(reason)" } ?? reason
        }
    }

    /// Parses `text`.
    /// - Throws: `InvalidExpression` naming the field and the problem.
    public init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let expanded = Self.macros[trimmed.lowercased()] ?? trimmed
        if expanded.hasPrefix("@") {
            throw InvalidExpression(
                field: nil,
                reason: "unknown macro '\(trimmed)' (known: \(Self.macros.keys.sorted().joined(separator: ", ")))")
        }
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw InvalidExpression(
                field: nil,
                reason: "expected 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)")
        }
        self.text = trimmed
        minutes = try CronField.minute.parse(fields[0]).sorted()
        hours = try CronField.hour.parse(fields[1]).sorted()
        daysOfMonth = try CronField.dayOfMonth.parse(fields[2])
        months = try CronField.month.parse(fields[3])
        daysOfWeek = Set(try CronField.dayOfWeek.parse(fields[4]).map { $0 % 7 })
        dayOfMonthIsStar = fields[2].hasPrefix("*")
        dayOfWeekIsStar = fields[4].hasPrefix("*")
        try checkPossible()
    }

    static let macros: [String: String] = [
        "@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@weekly": "0 0 * * 0",
        "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *",
    ]

    /// With only the day of month restricting (day of week `*`), some chosen day must exist in some chosen month.
    private func checkPossible() throws {
        guard dayOfWeekIsStar || dayOfMonthIsStar else { return }  // OR semantics: every week has the weekday
        guard !dayOfMonthIsStar else { return }
        let longest = months.map { CivilDate.longestMonth($0) }.max() ?? 31
        if let first = daysOfMonth.min(), first > longest {
            let names = months.sorted().map { CronField.monthNames[$0 - 1] }.joined(separator: ", ")
            throw InvalidExpression(
                field: "day-of-month", reason: "day \(first) never occurs in \(names): this expression would never run")
        }
    }

    public var description: String { text }

    /// Whether the civil day matches the month and day fields (Vixie's OR when both day fields are restricted).
    func matches(_ day: CivilDate) -> Bool {
        guard months.contains(day.month) else { return false }
        let domMatch = daysOfMonth.contains(day.day)
        let dowMatch = daysOfWeek.contains(day.weekday)
        if dayOfMonthIsStar || dayOfWeekIsStar { return domMatch && dowMatch }
        return domMatch || dowMatch
    }

    /// The first wall-clock minute strictly after `wallSeconds` (seconds since 1970 read as local time) that
    /// the expression selects, for each such minute in order; `body` returns true to stop.
    /// Looks at most 12 years ahead: a Feb 29 expression fires at least every 8 years.
    func forEachWallMinute(after wallSeconds: Int64, _ body: (Int64) -> Bool) {
        let start = CivilDate.floorDivide(wallSeconds, 86_400)
        for dayNumber in start..<(start + 366 * 12) {
            let day = CivilDate(daysSinceEpoch: dayNumber)
            guard matches(day) else { continue }
            for hour in hours {
                for minute in minutes {
                    let wall = dayNumber * 86_400 + Int64(hour * 3600 + minute * 60)
                    if wall <= wallSeconds { continue }
                    if body(wall) { return }
                }
            }
        }
    }
}

/// One of the five fields: its name, range and the names it accepts.
struct CronField {
    let name: String
    let range: ClosedRange<Int>
    let names: [String: Int]

    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    static let minute = CronField(name: "minute", range: 0...59, names: [:])
    static let hour = CronField(name: "hour", range: 0...23, names: [:])
    static let dayOfMonth = CronField(name: "day-of-month", range: 1...31, names: [:])
    static let month = CronField(
        name: "month", range: 1...12,
        names: Dictionary(uniqueKeysWithValues: monthNames.enumerated().map { ($1, $0 + 1) }))
    static let dayOfWeek = CronField(
        name: "day-of-week", range: 0...7,
        names: Dictionary(uniqueKeysWithValues: dayNames.enumerated().map { ($1, $0) }))

    func parse(_ text: String) throws -> Set<Int> {
        var values: Set<Int> = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            values.formUnion(try parseItem(String(item)))
        }
        return values
    }

    private func fail(_ reason: String) -> CronExpression.InvalidExpression {
        CronExpression.InvalidExpression(field: name, reason: reason)
    }

    private func parseItem(_ item: String) throws -> Set<Int> {
        guard !item.isEmpty else { throw fail("empty list item") }
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw fail("'\(item)' has more than one '/'") }
        var step = 1
        if parts.count == 2 {
            guard let value = Int(parts[1]), value > 0 else {
                throw fail("step '\(parts[1])' in '\(item)' must be a whole number of at least 1")
            }
            step = value
        }
        let base = String(parts[0])
        let lower: Int
        let upper: Int
        if base == "*" {
            (lower, upper) = (range.lowerBound, range.upperBound)
        } else if let dash = base.firstIndex(of: "-") {
            lower = try value(String(base[..<dash]), in: item)
            upper = try value(String(base[base.index(after: dash)...]), in: item)
            guard lower <= upper else {
                throw fail("range '\(base)' runs backwards (\(lower) > \(upper)); wrap-around ranges are not supported")
            }
        } else {
            lower = try value(base, in: item)
            // Vixie: `5/10` means from 5 to the end of the range in steps of 10.
            upper = parts.count == 2 ? range.upperBound : lower
        }
        return Set(stride(from: lower, through: upper, by: step))
    }

    private func value(_ text: String, in item: String) throws -> Int {
        if let named = names[text.lowercased()] { return named }
        guard let number = Int(text) else {
            let accepted =
                names.isEmpty
                ? "" : " or a name (\(names.sorted { $0.value < $1.value }.map(\.key).joined(separator: ", ")))"
            throw fail("'\(text)' in '\(item)' is not a number\(accepted)")
        }
        guard range.contains(number) else {
            throw fail("\(number) is out of range \(range.lowerBound)-\(range.upperBound)")
        }
        return number
    }
}

/// A proleptic Gregorian calendar day, computed without Foundation's Calendar so schedules are exact and fast.
struct CivilDate: Equatable {
    let year: Int64
    let month: Int
    let day: Int
    /// 0 = Sunday.
    let weekday: Int

    /// Howard Hinnant's `civil_from_days`.
    init(daysSinceEpoch days: Int64) {
        let z = days + 719_468
        let era = Self.floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        // 1970-01-01 was a Thursday.
        weekday = Int(((days % 7) + 11) % 7)
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    /// The most days the month ever has (February: 29).
    static func longestMonth(_ month: Int) -> Int {
        switch month {
        case 2: 29
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
