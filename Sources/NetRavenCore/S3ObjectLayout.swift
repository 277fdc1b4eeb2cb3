public import Foundation

/// Where things go in the bucket: `<prefix>/<device path>/<UTC yyyyMMdd'T'HHmmss'Z'>_<short commit>.cfg` for each
/// committed version, `<prefix>/<device path>/latest.cfg` for the newest, `<prefix>/archives/<bundle>` for bundles.
/// The device path is the archive path without `.cfg` (`core/r1.cfg` → `core/r1`).
public struct S3ObjectLayout: Sendable, Equatable {
    /// The key prefix, without leading or trailing slashes ("" = the bucket's root).
    public var prefix: String

    /// The name of the newest copy in each device folder; retention never deletes it.
    public static let latestName = "latest.cfg"
    /// Commit ids in keys are cut to this many hex digits.
    public static let shortCommitLength = 7

    /// A layout under `prefix` (slashes at either end are dropped).
    public init(prefix: String) {
        self.prefix = prefix.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
    }

    /// The device path for an archive path: `core/r1.cfg` → `core/r1`.
    public static func devicePath(forArchivePath path: String) -> String {
        let trimmed = path.hasPrefix("/") ? String(path.drop { $0 == "/" }) : path
        return trimmed.hasSuffix(".cfg") ? String(trimmed.dropLast(4)) : trimmed
    }

    /// The snapshot key of one committed version.
    public func snapshotKey(devicePath: String, committedAt: Date, commit: String) -> String {
        key(
            devicePath + "/" + UTCStamp.string(from: committedAt) + "_"
                + String(commit.prefix(Self.shortCommitLength)) + ".cfg")
    }

    /// The key of a device's newest copy.
    public func latestKey(devicePath: String) -> String {
        key(devicePath + "/" + Self.latestName)
    }

    /// The key of an archive bundle uploaded to S3.
    public func archiveKey(fileName: String) -> String {
        key("archives/" + fileName)
    }

    /// Where listings for this layout start (`prefix/`, or "" for the root).
    public var listingPrefix: String { prefix.isEmpty ? "" : prefix + "/" }

    /// A snapshot key taken apart: its device path, when the version was committed and the short commit.
    /// Nil for `latest.cfg`, bundles and anything not written by this layout.
    public func parseSnapshot(key: String) -> (devicePath: String, committedAt: Date, shortCommit: String)? {
        guard key.hasPrefix(listingPrefix), key.hasSuffix(".cfg") else { return nil }
        let relative = key.dropFirst(listingPrefix.count)
        guard let slash = relative.lastIndex(of: "/") else { return nil }
        let devicePath = String(relative[..<slash])
        let name = relative[relative.index(after: slash)...].dropLast(4)  // without ".cfg"
        let parts = name.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, !devicePath.isEmpty, !parts[1].isEmpty,
            parts[1].allSatisfy(\.isHexDigit), let time = UTCStamp.date(from: String(parts[0]))
        else { return nil }
        return (devicePath, time, String(parts[1]))
    }

    private func key(_ relative: String) -> String {
        prefix.isEmpty ? relative : prefix + "/" + relative
    }
}

/// Archive bundle file names: `netraven-archive-YYYYMMDDTHHMMSSZ.tar.gz` (UTC).
public enum ArchiveBundleName {
    static let head = "netraven-archive-"
    static let tail = ".tar.gz"

    /// The bundle name for a bundle made at `date`.
    public static func fileName(at date: Date) -> String {
        head + UTCStamp.string(from: date) + tail
    }

    /// When the bundle called `fileName` was made; nil when the name is not a bundle's.
    public static func date(of fileName: String) -> Date? {
        guard fileName.hasPrefix(head), fileName.hasSuffix(tail) else { return nil }
        return UTCStamp.date(from: String(fileName.dropFirst(head.count).dropLast(tail.count)))
    }
}

/// `yyyyMMdd'T'HHmmss'Z'` in UTC, without a (non-Sendable) DateFormatter.
public enum UTCStamp {
    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar
    }()

    /// The stamp for `date` (seconds truncated).
    public static func string(from date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String {
            let value = value ?? 0
            return value < 10 ? "0\(value)" : "\(value)"
        }
        let year = String(parts.year ?? 0)
        return year + two(parts.month) + two(parts.day) + "T" + two(parts.hour) + two(parts.minute)
            + two(parts.second) + "Z"
    }

    /// The date a stamp names; nil unless it is exactly `yyyyMMdd'T'HHmmss'Z'` and a real time.
    public static func date(from stamp: String) -> Date? {
        let characters = Array(stamp)
        guard characters.count == 16, characters[8] == "T", characters[15] == "Z" else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            let digits = characters[range]
            guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
            return Int(String(digits))
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15)
        else { return nil }
        let components = DateComponents(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else { return nil }
        return date
    }
}
