import Foundation

/// Reads the timestamp layouts network devices put in syslog headers. Each reader consumes only on success.
enum SyslogTimestamp {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    private static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar
    }()

    /// A header's zone: UTC or a numeric offset is fixed and computed with integer arithmetic (every message has
    /// a timestamp, and Foundation's Calendar costs microseconds per call); a zone name may observe daylight
    /// saving time, so its dates go through Calendar.
    enum Zone {
        case fixed(secondsEast: Int)
        case named(TimeZone)

        static let utc = Zone.fixed(secondsEast: 0)
    }

    /// Any supported layout, with an optional `*` or `.` clock-sync marker in front (Cisco: `*` not synchronized,
    /// `.` synchronized once but lost). The date is nil for uptime stamps and unknown zones; the layout is consumed.
    static func parse(_ cursor: inout ByteCursor, reference: Date) -> (date: Date?, zone: String?)? {
        let start = cursor.index
        if cursor.peek() == UInt8(ascii: "*") || cursor.peek() == UInt8(ascii: ".") { cursor.index += 1 }
        if let date = parseISO(&cursor) { return (date, nil) }
        if let parsed = parseYearFirst(&cursor, reference: reference) { return parsed }
        if let parsed = parseBSD(&cursor, reference: reference) { return parsed }
        if parseUptime(&cursor) { return (nil, nil) }
        cursor.index = start
        return nil
    }

    /// `2024-03-04T09:12:44.512Z`, `2024-03-04T09:12:44+01:00`, and the same with a space for the `T` (Huawei).
    static func parseISO(_ cursor: inout ByteCursor) -> Date? {
        let start = cursor.index
        guard let year = cursor.digits(4), cursor.take(UInt8(ascii: "-")), let month = cursor.digits(2),
            cursor.take(UInt8(ascii: "-")), let day = cursor.digits(2),
            cursor.take(UInt8(ascii: "T")) || cursor.take(0x20), let time = clock(&cursor)
        else {
            cursor.index = start
            return nil
        }
        var offset = 0
        if cursor.take(UInt8(ascii: "Z")) {
            offset = 0
        } else if let numeric = numericOffset(&cursor) {
            offset = numeric
        }
        guard
            let date = makeDate(year: year, month: month, day: day, time: time, zone: .fixed(secondsEast: offset))
        else {
            cursor.index = start
            return nil
        }
        return date
    }

    /// NX-OS: `2024 Mar  4 09:12:44 UTC`.
    private static func parseYearFirst(_ cursor: inout ByteCursor, reference: Date) -> (date: Date?, zone: String?)? {
        let start = cursor.index
        guard let year = cursor.digits(4), cursor.take(0x20), let (month, day) = monthDay(&cursor), cursor.take(0x20),
            let time = clock(&cursor)
        else {
            cursor.index = start
            return nil
        }
        let (zone, name) = self.zone(&cursor)
        let date = zone.flatMap { makeDate(year: year, month: month, day: day, time: time, zone: $0) }
        return (date, name)
    }

    /// `Mar  4 09:12:44`, with the variants: `.512` or `:512` milliseconds, a year before the time (Cisco
    /// `datetime year`, Huawei) or after it (Comware), a zone name or offset.
    private static func parseBSD(_ cursor: inout ByteCursor, reference: Date) -> (date: Date?, zone: String?)? {
        let start = cursor.index
        guard let (month, day) = monthDay(&cursor), cursor.take(0x20) else {
            cursor.index = start
            return nil
        }
        var year: Int?
        let beforeYear = cursor.index
        if let value = cursor.digits(4), cursor.take(0x20) {
            year = value
        } else {
            cursor.index = beforeYear
        }
        guard let time = clock(&cursor) else {
            cursor.index = start
            return nil
        }
        if year == nil {
            let beforeTrailingYear = cursor.index
            if cursor.take(0x20), let value = cursor.digits(4),
                cursor.peek() == 0x20 || cursor.peek() == nil
                    || cursor.peek() == UInt8(ascii: ":")
            {
                year = value
            } else {
                cursor.index = beforeTrailingYear
            }
        }
        let (zone, name) = self.zone(&cursor)
        guard let zone else { return (nil, name) }
        if let year {
            return (makeDate(year: year, month: month, day: day, time: time, zone: zone), name)
        }
        // No year: this year in the reference's terms, or last year when that would be more than a day ahead.
        let thisYear = calendarYear(of: reference, in: zone)
        guard let date = makeDate(year: thisYear, month: month, day: day, time: time, zone: zone) else {
            return (nil, name)
        }
        if date.timeIntervalSince(reference) > 86_400 {
            return (makeDate(year: thisYear - 1, month: month, day: day, time: time, zone: zone), name)
        }
        return (date, name)
    }

    /// Cisco uptime stamps, followed by the header's colon: `00:10:38:`, `1d02h:`, `2w3d:`. No date.
    private static func parseUptime(_ cursor: inout ByteCursor) -> Bool {
        let start = cursor.index
        if clock(&cursor) != nil, cursor.peek() == UInt8(ascii: ":") { return true }
        cursor.index = start
        if let (_, first) = cursor.number(maxDigits: 4), first > 0, let unit = cursor.next(),
            [UInt8(ascii: "w"), UInt8(ascii: "d"), UInt8(ascii: "y")].contains(unit),
            let (_, second) = cursor.number(maxDigits: 2), second > 0, let unit2 = cursor.next(),
            [UInt8(ascii: "d"), UInt8(ascii: "h"), UInt8(ascii: "w")].contains(unit2),
            cursor.peek() == UInt8(ascii: ":")
        {
            return true
        }
        cursor.index = start
        return false
    }

    private static func monthDay(_ cursor: inout ByteCursor) -> (month: Int, day: Int)? {
        let start = cursor.index
        guard let a = cursor.next(), let b = cursor.next(), let c = cursor.next(),
            ByteCursor.isLetter(a) && ByteCursor.isLetter(b) && ByteCursor.isLetter(c),
            let index = months.firstIndex(of: String(decoding: [a | 0x20, b | 0x20, c | 0x20], as: UTF8.self)),
            cursor.take(0x20)
        else {
            cursor.index = start
            return nil
        }
        _ = cursor.take(0x20)  // `Mar  4`: a space pads single-digit days.
        guard let (day, digits) = cursor.number(maxDigits: 2), digits > 0, (1...31).contains(day) else {
            cursor.index = start
            return nil
        }
        return (index + 1, day)
    }

    /// `HH:MM:SS` with an optional fraction (`.512`, or Comware's `:512`): hours, minutes, seconds, nanoseconds.
    private static func clock(_ cursor: inout ByteCursor) -> (Int, Int, Int, Int)? {
        let start = cursor.index
        guard let (hour, hourDigits) = cursor.number(maxDigits: 2), (1...2).contains(hourDigits), hour < 24,
            cursor.take(UInt8(ascii: ":")), let minute = cursor.digits(2), minute < 60, cursor.take(UInt8(ascii: ":")),
            let second = cursor.digits(2), second <= 60
        else {
            cursor.index = start
            return nil
        }
        var nanoseconds = 0
        let beforeFraction = cursor.index
        if cursor.take(UInt8(ascii: ".")) {
            if let (value, digits) = cursor.number(maxDigits: 9), digits > 0 {
                nanoseconds = value * Int(pow(10.0, Double(9 - digits)))
            } else {
                cursor.index = beforeFraction
            }
        } else if cursor.take(UInt8(ascii: ":")) {
            // Only exactly three digits then a space: otherwise the colon is the end of a Cisco header.
            if let value = cursor.digits(3), cursor.peek() == 0x20 {
                nanoseconds = value * 1_000_000
            } else {
                cursor.index = beforeFraction
            }
        }
        return (hour, minute, second, nanoseconds)
    }

    /// ` UTC`, ` CET`, ` +01:00`: the zone, and its name as written. No zone means UTC; a name Foundation does not
    /// know gives a nil zone (and so a nil date) rather than a wrong time.
    private static func zone(_ cursor: inout ByteCursor) -> (Zone?, String?) {
        let utc = Zone.utc
        let start = cursor.index
        guard cursor.take(0x20) else { return (utc, nil) }
        if let offset = numericOffset(&cursor) { return (.fixed(secondsEast: offset), nil) }
        let nameStart = cursor.index
        while let byte = cursor.peek(), byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { cursor.index += 1 }
        let length = cursor.index - nameStart
        let name = String(decoding: cursor.bytes[nameStart..<cursor.index], as: UTF8.self)
        let endsToken = cursor.peek() == nil || cursor.peek() == 0x20 || cursor.peek() == UInt8(ascii: ":")
        if (1...6).contains(length), endsToken {
            if name == "UTC" || name == "GMT" || name == "Z" { return (utc, name) }
            if let known = TimeZone(abbreviation: name) { return (.named(known), name) }
            // An unknown name is only taken as a zone where Cisco puts one: right before the header's colon.
            if cursor.peek() == UInt8(ascii: ":") { return (nil, name) }
        }
        cursor.index = start
        return (utc, nil)
    }

    /// `+01:00`, `-0500`: seconds east of UTC.
    private static func numericOffset(_ cursor: inout ByteCursor) -> Int? {
        let start = cursor.index
        guard let sign = cursor.next(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
            let hours = cursor.digits(2), hours < 24
        else {
            cursor.index = start
            return nil
        }
        _ = cursor.take(UInt8(ascii: ":"))
        guard let minutes = cursor.digits(2), minutes < 60 else {
            cursor.index = start
            return nil
        }
        let seconds = hours * 3600 + minutes * 60
        return sign == UInt8(ascii: "-") ? -seconds : seconds
    }

    static func makeDate(year: Int, month: Int, day: Int, time: (Int, Int, Int, Int), zone: Zone?) -> Date? {
        guard let zone, (1...12).contains(month), (1...31).contains(day), (1970...9999).contains(year) else {
            return nil
        }
        switch zone {
        case .fixed(let secondsEast):
            // Like a lenient Calendar: a day past the month's end rolls into the next month (Feb 30 = Mar 1 or 2).
            let days = daysSinceEpoch(year: year, month: month, day: 1) + day - 1
            let seconds = days * 86_400 + time.0 * 3600 + time.1 * 60 + min(time.2, 59) - secondsEast
            return Date(timeIntervalSince1970: Double(seconds) + Double(time.3) / 1e9)
        case .named(let timeZone):
            var calendar = utcCalendar
            calendar.timeZone = timeZone
            let components = DateComponents(
                year: year, month: month, day: day, hour: time.0, minute: time.1, second: min(time.2, 59),
                nanosecond: time.3)
            return calendar.date(from: components)
        }
    }

    /// The Gregorian year `date` falls in, as a clock in `zone` shows it.
    static func calendarYear(of date: Date, in zone: Zone) -> Int {
        switch zone {
        case .fixed(let secondsEast):
            let seconds = Int((date.timeIntervalSince1970).rounded(.down)) + secondsEast
            return civilYear(daysSinceEpoch: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        case .named(let timeZone):
            var calendar = utcCalendar
            calendar.timeZone = timeZone
            return calendar.component(.year, from: date)
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`; month 1...12).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The year of the day `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`, year only).
    static func civilYear(daysSinceEpoch days: Int) -> Int {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        return yearOfEra + era * 400 + (monthIndex >= 10 ? 1 : 0)
    }
}
