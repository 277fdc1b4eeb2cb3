import Foundation

/// Reads an inventory file: `defaults`, `groups` and `devices`; a device's setting wins over its group's, which wins
/// over the defaults.
struct InventoryReader {
    let path: String
    let diagnostics: DiagnosticCollector
    let rules: RuleBook
    let credentials: [String: CredentialSet]
    let pathTemplate: PathTemplate

    static let settingKeys: Set<String> = [
        "port", "platform", "site", "region", "tags", "credentials", "host_key_policy", "legacy_algorithms",
    ]
    static let deviceKeys: Set<String> = settingKeys.union(["name", "host", "group", "aliases"])

    /// Settings that a device may inherit, each with where it was written.
    struct Layer {
        var values: [String: NodeReader] = [:]
    }

    func read() -> [Device] {
        guard let yaml = YAMLFile.load(path: path, diagnostics: diagnostics) else { return [] }
        guard let root = yaml.root else {
            diagnostics.add(Diagnostic(file: path, line: 0, column: 0, message: "file is empty"))
            return []
        }
        let reader = NodeReader(node: root, file: path, diagnostics: diagnostics, path: "")
        guard let top = reader.mapping(allowed: ["defaults", "groups", "devices"]) else { return [] }

        var defaults = Layer()
        if let node = top["defaults"], let map = node.mapping(allowed: Self.settingKeys) {
            for entry in map.entries { defaults.values[entry.key] = entry.value }
        }
        var groups: [String: Layer] = [:]
        for (name, _, node) in top["groups"]?.namedEntries() ?? [] {
            guard let map = node.mapping(allowed: Self.settingKeys) else { continue }
            var layer = Layer()
            for entry in map.entries { layer.values[entry.key] = entry.value }
            groups[name] = layer
        }

        var devices: [Device] = []
        var seenNames: [String: SourceLocation] = [:]
        var seenPaths: [String: String] = [:]
        var claimedNames: [String: String] = [:]
        for item in top.required("devices")?.sequence() ?? [] {
            guard let map = item.mapping(allowed: Self.deviceKeys) else { continue }
            let before = diagnostics.diagnostics.count
            guard let name = map.string("name", required: true), let host = map.string("host", required: true) else {
                continue
            }
            if let previous = seenNames[name] {
                map["name"]?.error("duplicate device '\(name)' (first at line \(previous.line))")
                continue
            }
            seenNames[name] = map["name"]?.location
            let groupName = map.string("group") ?? "default"
            if map.has("group"), !groups.isEmpty, groups[groupName] == nil {
                // A group need not be declared, but a typo in a declared set is worth pointing out.
                let known = groups.keys.sorted().joined(separator: ", ")
                map["group"]?.error("group '\(groupName)' is not declared under groups (declared: \(known))")
            }
            let layers = [map.entries.reduce(into: Layer()) { $0.values[$1.key] = $1.value }, groups[groupName] ?? Layer(), defaults]
            func setting(_ key: String) -> NodeReader? {
                layers.lazy.compactMap { $0.values[key] }.first
            }

            var device = Device(name: name, host: host, platform: "", group: groupName)
            device.port = setting("port")?.int(in: 1...65535) ?? 22
            if let platformNode = setting("platform"), let platform = platformNode.string() {
                device.platform = platform
                if rules.platforms[platform] == nil && !rules.platforms.isEmpty {
                    let known = rules.platforms.keys.sorted().joined(separator: ", ")
                    platformNode.error("unknown platform '\(platform)' (known: \(known))")
                }
            } else {
                map.reader.error("device '\(name)' has no platform (set it on the device, its group or defaults)")
            }
            device.site = setting("site")?.string()
            device.region = setting("region")?.string()
            device.tags = setting("tags")?.stringList() ?? []
            device.aliases = map["aliases"]?.stringList() ?? []
            checkAliases(of: device, at: map, claimed: &claimedNames)
            if let credentialNode = setting("credentials"), let names = credentialNode.stringList() {
                device.credentials = names
                for credentialName in names where credentials[credentialName] == nil {
                    let known = credentials.keys.sorted().joined(separator: ", ")
                    credentialNode.error("unknown credential set '\(credentialName)' (known: \(known.isEmpty ? "none" : known))")
                }
            } else {
                map.reader.error("device '\(name)' has no credentials (set them on the device, its group or defaults)")
            }
            if let policyNode = setting("host_key_policy"), let text = policyNode.string() {
                if let policy = HostKeyPolicy(rawValue: text) {
                    device.hostKeyPolicy = policy
                } else {
                    policyNode.error("host_key_policy must be one of tofu, strict, off; found '\(text)'")
                }
            }
            device.legacyAlgorithms = setting("legacy_algorithms")?.bool() ?? false

            do {
                let archivePath = try pathTemplate.path(for: device)
                if let other = seenPaths[archivePath] {
                    map["name"]?.error("device '\(name)' would be stored at \(archivePath), like device '\(other)'")
                }
                seenPaths[archivePath] = name
            } catch {
                (map["name"] ?? map.reader).error("\(error)")
            }
            if diagnostics.diagnostics.count == before {
                devices.append(device)
            }
        }
        return devices
    }

    /// Events name devices by name or alias, case-insensitively: a name two devices claim would send one
    /// device's changes to the other, so it is an error, reported at the alias (or name) that repeats it.
    func checkAliases(of device: Device, at map: MappingReader, claimed: inout [String: String]) {
        if let owner = claimed[device.name.lowercased()], owner != device.name {
            map["name"]?.error("device name '\(device.name)' is already an alias of device '\(owner)'")
        }
        claimed[device.name.lowercased()] = device.name
        for alias in device.aliases {
            let key = alias.lowercased()
            if alias.trimmingCharacters(in: .whitespaces).isEmpty {
                map["aliases"]?.error("device '\(device.name)' has an empty alias")
            } else if let owner = claimed[key], owner != device.name {
                map["aliases"]?.error("alias '\(alias)' of device '\(device.name)' already names device '\(owner)'")
            } else {
                claimed[key] = device.name
            }
        }
    }
}
