import Foundation
public import NetRavenCore

/// Where a device's files live in the archive, and the state directory's layout.
///
/// For a device stored at `core/r1.cfg`: `core/r1.facts.json` holds its facts and `core/r1.startup.cfg` its
/// startup configuration (when collected). A template without `.cfg` gets the suffixes appended to the full path.
public struct ArchiveLayout: Sendable {
    public let stateDirectory: String
    public let pathTemplate: PathTemplate

    public init(stateDirectory: String, pathTemplate: PathTemplate) {
        self.stateDirectory = stateDirectory
        self.pathTemplate = pathTemplate
    }

    /// The bare Git repository.
    public var repositoryPath: String { stateDirectory + "/archive.git" }
    /// NetRaven's own known_hosts for devices.
    public var knownHostsPath: String { stateDirectory + "/known_hosts" }
    /// Host keys of the archive's push remote (trust on first use).
    public var remoteKnownHostsPath: String { stateDirectory + "/remote_known_hosts" }
    /// The event and job journal (SQLite; see docs/journal.md).
    public var journal: String { stateDirectory + "/journal.sqlite" }

    public func configPath(for device: Device) throws -> String {
        try pathTemplate.path(for: device)
    }

    public func factsPath(for device: Device) throws -> String {
        Self.base(try configPath(for: device)) + ".facts.json"
    }

    public func startupPath(for device: Device) throws -> String {
        Self.base(try configPath(for: device)) + ".startup.cfg"
    }

    static func base(_ path: String) -> String {
        path.hasSuffix(".cfg") ? String(path.dropLast(4)) : path
    }

    /// Creates the state directory (mode 0700: it holds configurations and host keys).
    public func prepare() throws {
        try FileManager.default.createDirectory(
            atPath: stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
}

/// The facts file's text: stable key order and no timestamps, so it changes only when a fact does.
public func factsDocument(device: Device, facts: DeviceFacts, hostKey: String?) -> String {
    var fields: [(String, String?)] = [("device", device.name), ("platform", device.platform)]
    for field in DeviceFacts.Field.allCases { fields.append((field.rawValue, facts[field])) }
    fields.append(("host_key", hostKey))
    let body = fields.compactMap { key, value in value.map { "  \(jsonString(key)): \(jsonString($0))" } }
    return "{\n" + body.joined(separator: ",\n") + "\n}\n"
}
