/// Broken-down UTC time, formatted the ways the emulated devices print timestamps.
///
/// Hand-rolled (days-from-civil) so formatting needs no shared, non-Sendable formatter on the event loops.
struct LabTime {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int

    init(epochSeconds: Double) {
        let t = Int(epochSeconds.rounded(.down))
        let days = Int((Double(t) / 86_400).rounded(.down))
        let secs = t - days * 86_400
        hour = secs / 3600
        minute = secs % 3600 / 60
        second = secs % 60
        weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    private func two(_ n: Int) -> String { String(n).leftPadded(to: 2) }
    var hms: String { "\(two(hour)):\(two(minute)):\(two(second))" }
    var monthName: String { Self.months[month - 1] }
    var dayName: String { Self.days[weekday] }

    /// `09:12:44 UTC Sat Nov 21 2026` (IOS "Last configuration change at").
    var ios: String { "\(hms) UTC \(dayName) \(monthName) \(day) \(year)" }
    /// `Sat Nov 21 09:12:44 2026` (NX-OS "!Time:").
    var nxos: String { "\(dayName) \(monthName) \(day) \(hms) \(year)" }
    /// `2026-11-21 09:12:44 UTC` (Junos "## Last commit:").
    var junos: String { "\(year)-\(two(month))-\(two(day)) \(hms) UTC" }
}
