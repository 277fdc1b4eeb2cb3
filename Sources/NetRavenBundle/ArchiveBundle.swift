import Crypto
public import Foundation
public import NetRavenGit
import NetRavenCore

/// One device's files in the Git archive, as the bundle builder needs them (the CLI fills these from the
/// inventory and `ArchiveLayout`).
public struct BundleSource: Sendable, Equatable {
    /// Inventory name.
    public var device: String
    /// Path of its configuration in the archive (`lab/r1.cfg`).
    public var configPath: String
    /// Path of its facts file (`lab/r1.facts.json`), if it has one.
    public var factsPath: String?

    /// Creates a source.
    public init(device: String, configPath: String, factsPath: String?) {
        self.device = device
        self.configPath = configPath
        self.factsPath = factsPath
    }
}

/// A `.tar.gz` of the current configurations of some devices, with `manifest.json` as its first member.
///
/// Build it from the Git archive at HEAD with `build(from:sources:createdAt:netravenVersion:)`, then write it
/// (`write(toDirectory:)`), take its bytes (`data()`, e.g. for an S3 upload under `<prefix>/archives/<fileName>`)
/// or stream it (`writeTarGzip(to:)`). Member order is fixed (manifest, then paths sorted) and every member's
/// mtime is its commit's time, so two bundles of the same HEAD differ only in `created_at`.
public struct ArchiveBundle: Sendable {
    /// The manifest (also the first member).
    public var manifest: BundleManifest
    /// Devices asked for that have no configuration at HEAD (never captured); they are not in the bundle.
    public var missingDevices: [String]
    /// The configurations, in manifest order.
    var contents: [Data]

    /// `netraven-archive-YYYYMMDDTHHMMSSZ.tar.gz` for `manifest.createdAt`.
    public var fileName: String { Self.fileName(createdAt: manifest.createdAt) }

    /// `netraven-archive-YYYYMMDDTHHMMSSZ.tar.gz` (UTC) for a creation time.
    public static func fileName(createdAt: Date) -> String {
        ArchiveBundleName.fileName(at: createdAt)  // one naming rule for bundles, retention and S3
    }

    /// Reads the current configuration and facts of each source from `archive` at HEAD and the newest commit
    /// that changed each configuration. Throws `ArchiveError` when the archive cannot be read or is empty.
    public static func build(
        from archive: ConfigArchive, sources: [BundleSource], createdAt: Date = Date(), netravenVersion: String
    ) async throws -> ArchiveBundle {
        guard let head = try await archive.head() else {
            throw ArchiveError(.notFound, "the archive at \(archive.path) has no commit yet; nothing to bundle")
        }
        let lastChanges = try await archive.lastChanges(paths: sources.map(\.configPath))
        var seenPaths: Set<String> = []
        var entries: [(BundleManifest.Entry, Data)] = []
        var missing: [String] = []
        for source in sources where seenPaths.insert(source.configPath).inserted {
            guard let commit = lastChanges[source.configPath],
                let data = try await archive.readData(path: source.configPath, revision: head.id)
            else {
                missing.append(source.device)
                continue
            }
            let facts = try await source.factsPath.asyncMap { try await archive.readData(path: $0, revision: head.id) }
            let entry = BundleManifest.Entry(
                path: source.configPath, device: source.device, size: data.count, sha256: SHA256Digest.hex(data),
                commit: commit.id, committedAt: commit.committer.date, facts: Self.facts(from: facts ?? nil))
            entries.append((entry, data))
        }
        entries.sort { $0.0.path < $1.0.path }
        let manifest = BundleManifest(
            createdAt: createdAt, netravenVersion: netravenVersion, archiveHead: head.id, entries: entries.map(\.0))
        return ArchiveBundle(manifest: manifest, missingDevices: missing, contents: entries.map(\.1))
    }

    /// Facts file → string facts; the redundant `device` key is dropped, and an unreadable file gives none.
    static func facts(from data: Data?) -> [String: String] {
        guard let data, let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return [:]
        }
        var facts: [String: String] = [:]
        for (key, value) in object where key != "device" {
            if let text = value as? String { facts[key] = text }
        }
        return facts
    }

    /// Streams the `.tar.gz` bytes to `sink` (blocking: zlib work; call from a dedicated thread).
    public func writeTarGzip(to sink: @escaping (Data) throws -> Void) throws {
        let gzip = try GzipWriter(sink: sink)
        let tar = TarWriter { try gzip.write($0) }
        let manifestTime = Int(manifest.entries.map(\.committedAt.timeIntervalSince1970).max() ?? 0)
        try tar.append(
            TarHeader(path: BundleManifest.memberName, size: 0, modificationTime: manifestTime),
            contents: try manifest.encoded())
        for (entry, data) in zip(manifest.entries, contents) {
            try tar.append(
                TarHeader(
                    path: entry.path, size: data.count,
                    modificationTime: Int(entry.committedAt.timeIntervalSince1970)),
                contents: data)
        }
        try tar.finish()
        try gzip.finish()
    }

    /// The whole `.tar.gz` in memory, built on a dedicated thread (for uploads).
    public func data() async throws -> Data {
        let bundle = self
        return try await onDedicatedThread {
            var result = Data()
            try bundle.writeTarGzip { result.append($0) }
            return result
        }
    }

    /// Writes `<directory>/<fileName>` crash-safely: into a temporary file in the same directory, fsync'd, then
    /// linked to the final name (which must not exist yet) and the directory fsync'd; a crash leaves at most a
    /// `.tmp` file, never a partial bundle under the final name.
    public func write(toDirectory directory: String) async throws -> WrittenBundle {
        let bundle = self
        return try await onDedicatedThread { try BundleFileWriter(directory: directory).write(bundle) }
    }
}

/// Where a bundle was written and what it is, for the command's output and for uploads.
public struct WrittenBundle: Sendable, Equatable, Codable {
    /// Full path of the file.
    public var path: String
    /// Its name (`netraven-archive-…tar.gz`).
    public var name: String
    /// Size of the `.tar.gz` in bytes.
    public var size: Int
    /// Lowercase hex SHA-256 of the `.tar.gz` (what `sha256sum` prints).
    public var sha256: String
    /// Number of configurations in it.
    public var entries: Int
}

extension Optional {
    fileprivate func asyncMap<U>(_ transform: (Wrapped) async throws -> U) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
