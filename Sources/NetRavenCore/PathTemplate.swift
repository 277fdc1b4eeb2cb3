import Foundation

/// Where a device's configuration goes in the archive: `{group}/{name}.cfg`, `{region}/{site}/{name}.cfg`.
///
/// Rendering refuses anything that would leave the archive or collide with Git's own files.
public struct PathTemplate: Sendable, Equatable, CustomStringConvertible {
    public static let `default` = PathTemplate(validated: "{group}/{name}.cfg")
    public static let variables: Set<String> = ["name", "group", "site", "region", "platform"]

    public let template: String

    private init(validated: String) {
        template = validated
    }

    /// Why a template or a rendered path is unusable.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(_ template: String) throws {
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw Invalid(description: "unclosed '{' in path template '\(template)'")
            }
            let name = String(rest[rest.index(after: open)..<close])
            guard Self.variables.contains(name) else {
                let known = Self.variables.sorted().map { "{\($0)}" }.joined(separator: ", ")
                throw Invalid(description: "unknown variable {\(name)} in path template (known: \(known))")
            }
            rest = rest[rest.index(after: close)...]
        }
        guard template.contains("{name}") else {
            throw Invalid(description: "path template must contain {name}, or every device would share one file")
        }
        guard !template.hasPrefix("/") else {
            throw Invalid(description: "path template must be relative to the archive, not start with '/'")
        }
        self.template = template
    }

    public var description: String { template }

    /// The archive path for `device`.
    /// - Throws: `Invalid` when a value would escape the archive (`..`, `/`), is empty, or names `.git`.
    public func path(for device: Device) throws -> String {
        let values: [String: String?] = [
            "name": device.name, "group": device.group, "site": device.site, "region": device.region,
            "platform": device.platform,
        ]
        var result = template
        for (key, value) in values where result.contains("{\(key)}") {
            guard let value, !value.isEmpty else {
                throw Invalid(description: "device '\(device.name)' has no \(key), which the path template '\(template)' needs")
            }
            try Self.checkComponent(value, what: key, device: device.name)
            result = result.replacingOccurrences(of: "{\(key)}", with: value)
        }
        for component in result.split(separator: "/", omittingEmptySubsequences: false) {
            try Self.checkComponent(String(component), what: "path", device: device.name)
        }
        return result
    }

    /// A value must be one safe path component.
    static func checkComponent(_ value: String, what: String, device: String) throws {
        let problem: String?
        if value.isEmpty {
            problem = "is empty"
        } else if value == "." || value == ".." {
            problem = "is '\(value)', which would leave its folder"
        } else if value.contains("/") || value.contains("\\") {
            problem = "contains a path separator"
        } else if value.lowercased() == ".git" {
            problem = "is '.git'"
        } else if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            problem = "contains a control character"
        } else {
            problem = nil
        }
        if let problem {
            throw Invalid(description: "device '\(device)': \(what) '\(value)' \(problem); it would escape or break the archive")
        }
    }
}
