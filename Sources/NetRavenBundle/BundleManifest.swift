public import Foundation

/// `manifest.json`, the first member of every bundle: what the bundle holds and where each file came from.
///
/// Keys are snake_case, dates ISO 8601 UTC, digests lowercase hex; see docs/archive-bundles.md for the schema.
public struct BundleManifest: Sendable, Equatable, Codable {
    /// The member name of the manifest.
    public static let memberName = "manifest.json"
    /// The schema version this code writes and reads.
    public static let currentFormat = 1

    /// One archived file.
    public struct Entry: Sendable, Equatable, Codable {
        /// Member path, the same as the file's path in the Git archive (`lab/r1.cfg`).
        public var path: String
        /// Inventory name of the device.
        public var device: String
        /// Length in bytes.
        public var size: Int
        /// Lowercase hexadecimal SHA-256 of the contents.
        public var sha256: String
        /// Full id of the newest commit that changed this file (the version in the bundle).
        public var commit: String
        /// When that commit was recorded (also the member's mtime).
        public var committedAt: Date
        /// Facts from the device's facts file in the archive (serial, os_name, os_version, model, platform, ...).
        public var facts: [String: String]

        /// Creates an entry.
        public init(
            path: String, device: String, size: Int, sha256: String, commit: String, committedAt: Date,
            facts: [String: String]
        ) {
            self.path = path
            self.device = device
            self.size = size
            self.sha256 = sha256
            self.commit = commit
            self.committedAt = committedAt
            self.facts = facts
        }

        enum CodingKeys: String, CodingKey {
            case path, device, size, sha256, commit, facts
            case committedAt = "committed_at"
        }
    }

    /// Schema version (1).
    public var format: Int
    /// When the bundle was made.
    public var createdAt: Date
    /// The NetRaven version that made it.
    public var netravenVersion: String
    /// The Git archive's HEAD commit when the bundle was made.
    public var archiveHead: String
    /// The files, sorted by path (the members' order after the manifest).
    public var entries: [Entry]

    /// Creates a manifest; entries are sorted by path.
    public init(createdAt: Date, netravenVersion: String, archiveHead: String, entries: [Entry]) {
        format = Self.currentFormat
        self.createdAt = createdAt
        self.netravenVersion = netravenVersion
        self.archiveHead = archiveHead
        self.entries = entries.sorted { $0.path < $1.path }
    }

    enum CodingKeys: String, CodingKey {
        case format, entries
        case createdAt = "created_at"
        case netravenVersion = "netraven_version"
        case archiveHead = "archive_head"
    }

    /// The manifest as written into bundles: pretty-printed, keys sorted, dates in whole seconds UTC.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Self.timestamp(date))
        }
        var data = try encoder.encode(self)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// Reads a manifest; anything else throws `.invalidManifest` saying what is wrong.
    public static func decode(_ data: Data) throws -> BundleManifest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = ISO8601DateFormatter().date(from: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "'\(text)' is not an ISO 8601 UTC time")
            }
            return date
        }
        let manifest: BundleManifest
        do {
            manifest = try decoder.decode(BundleManifest.self, from: data)
        } catch let error as DecodingError {
            throw BundleError(.invalidManifest, "\(memberName) is not a valid manifest: \(Self.describe(error))")
        } catch {
            throw BundleError(.invalidManifest, "\(memberName) is not valid JSON", underlying: error)
        }
        guard manifest.format == currentFormat else {
            throw BundleError(
                .invalidManifest, "\(memberName) has format \(manifest.format); this NetRaven reads \(currentFormat)")
        }
        return manifest
    }

    /// `2026-11-22T00:15:00Z`.
    static func timestamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "" : " at \(keys)"
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing key '\(key.stringValue)'\(path(context))"
        case .typeMismatch(_, let context): return "wrong type\(path(context)): \(context.debugDescription)"
        case .valueNotFound(_, let context): return "missing value\(path(context))"
        case .dataCorrupted(let context): return "\(context.debugDescription)\(path(context))"
        @unknown default: return "\(error)"
        }
    }
}
