import Foundation

/// Every rule NetRaven runs on, loaded from a rules directory (`rules/`).
public struct RuleBook: Sendable {
    /// Platforms by name. Files whose name starts with `_` are shared bases, not platforms.
    public var platforms: [String: PlatformRules]
    /// The directory it was loaded from.
    public var directory: String
    /// The syslog change rules, `syslog/*.yaml` (empty when the directory has none).
    public var syslog = SyslogRuleBook()

    public init(platforms: [String: PlatformRules], directory: String) {
        self.platforms = platforms
        self.directory = directory
    }

    /// Loads `directory/platforms/*.yaml` with the secret sets of `directory/secrets/*.yaml`, and the syslog change
    /// rules of `directory/syslog/*.yaml`.
    /// - Throws: `DiagnosticError` with every problem in every file.
    public static func load(directory: String) throws -> RuleBook {
        let diagnostics = DiagnosticCollector()
        let book = load(directory: directory, diagnostics: diagnostics)
        try diagnostics.throwIfAny()
        return book
    }

    static func load(directory: String, diagnostics: DiagnosticCollector) -> RuleBook {
        let loader = RuleBookLoader(directory: directory, diagnostics: diagnostics)
        var book = RuleBook(platforms: loader.loadPlatforms(), directory: directory)
        book.syslog = SyslogRuleBook.load(directory: directory, diagnostics: diagnostics)
        return book
    }
}

/// Reads the rule files; one instance per load.
private final class RuleBookLoader {
    let directory: String
    let diagnostics: DiagnosticCollector
    var secretSets: [String: [RulePattern]] = [:]

    static let platformKeys: Set<String> = [
        "name", "description", "inherits", "prompt", "enable", "after_login", "pager", "errors", "commands",
        "facts", "trim", "volatile", "secrets", "end_marker", "min_lines", "exit",
    ]

    init(directory: String, diagnostics: DiagnosticCollector) {
        self.directory = directory
        self.diagnostics = diagnostics
    }

    func yamlFiles(in subdirectory: String) -> [String] {
        let path = (directory as NSString).appendingPathComponent(subdirectory)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [] }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { (path as NSString).appendingPathComponent($0) }
    }

    func loadPlatforms() -> [String: PlatformRules] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            diagnostics.add(Diagnostic(file: directory, line: 0, column: 0, message: "rules directory not found"))
            return [:]
        }
        loadSecretSets()
        var platforms: [String: PlatformRules] = [:]
        let files = yamlFiles(in: "platforms")
        if files.isEmpty {
            diagnostics.add(Diagnostic(file: directory, line: 0, column: 0, message: "no platform files in platforms/"))
        }
        for file in files {
            let base = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            if base.hasPrefix("_") { continue }
            if let platform = loadPlatform(file: file, expectedName: base) {
                platforms[platform.name] = platform
            }
        }
        return platforms
    }

    func loadSecretSets() {
        for file in yamlFiles(in: "secrets") {
            guard let yaml = YAMLFile.load(path: file, diagnostics: diagnostics), let root = yaml.root else { continue }
            let reader = NodeReader(node: root, file: file, diagnostics: diagnostics, path: "")
            guard let top = reader.mapping(allowed: ["sets"]), let sets = top.required("sets")?.namedEntries() else {
                continue
            }
            for (name, keyLocation, value) in sets {
                if secretSets[name] != nil {
                    diagnostics.add(keyLocation.diagnostic("secret set '\(name)' is defined twice"))
                    continue
                }
                let patterns = value.regexList() ?? []
                for pattern in patterns where !pattern.groupNames.contains("secret") {
                    diagnostics.add(
                        (pattern.location ?? keyLocation).diagnostic(
                            "secret pattern must have a (?<secret>...) group marking the text to hide"))
                }
                secretSets[name] = patterns
            }
        }
    }

    /// The platform file's mapping entries with its `inherits:` chain applied: a key in the child replaces the
    /// parent's whole value (readers keep their own file's positions).
    func mergedEntries(file: String, chain: [String]) -> (MappingReader, [String: NodeReader])? {
        guard let yaml = YAMLFile.load(path: file, diagnostics: diagnostics) else { return nil }
        guard let root = yaml.root else {
            diagnostics.add(Diagnostic(file: file, line: 0, column: 0, message: "file is empty"))
            return nil
        }
        let reader = NodeReader(node: root, file: file, diagnostics: diagnostics, path: "")
        guard let mapping = reader.mapping(allowed: Self.platformKeys) else { return nil }
        var values: [String: NodeReader] = [:]
        if let inherits = mapping["inherits"], let parentName = inherits.string() {
            let parentFile = ((file as NSString).deletingLastPathComponent as NSString)
                .appendingPathComponent(parentName + ".yaml")
            if chain.contains(parentFile) {
                inherits.error("inherits: '\(parentName)' forms a cycle")
            } else if !FileManager.default.fileExists(atPath: parentFile) {
                inherits.error("inherits: no platform file '\(parentName).yaml' next to this one")
            } else if let (_, parentValues) = mergedEntries(file: parentFile, chain: chain + [file]) {
                values = parentValues
            }
        }
        for entry in mapping.entries where entry.key != "inherits" {
            values[entry.key] = entry.value
        }
        return (mapping, values)
    }

    func loadPlatform(file: String, expectedName: String) -> PlatformRules? {
        guard let (mapping, values) = mergedEntries(file: file, chain: [file]) else { return nil }
        let errorsBefore = diagnostics.diagnostics.count
        func missing(_ key: String) {
            mapping.reader.error("missing required key '\(key)' (not here nor in an inherited file)")
        }

        let name = values["name"]?.string() ?? expectedName
        if name != expectedName {
            values["name"]?.error("name '\(name)' differs from the file name '\(expectedName)'")
        }
        let prompt = values["prompt"]?.regex()
        if values["prompt"] == nil { missing("prompt") }

        var enable: EnableRules?
        if let node = values["enable"], let enableMap = node.mapping(allowed: ["command", "when", "password_prompt", "failure"]) {
            let command = enableMap.string("command", required: true)
            let when = enableMap.required("when")?.regex()
            let passwordPrompt = enableMap.required("password_prompt")?.regex()
            let failure = enableMap["failure"]?.regex()
            if let command, let when, let passwordPrompt {
                enable = EnableRules(command: command, unprivilegedPrompt: when, passwordPrompt: passwordPrompt, failure: failure)
            }
        }

        var pager: PagerRules?
        if let node = values["pager"], let pagerMap = node.mapping(allowed: ["pattern", "send"]) {
            let pattern = pagerMap.required("pattern")?.regex()
            let send = pagerMap.string("send") ?? " "
            if let pattern { pager = PagerRules(pattern: pattern, send: send) }
        }

        var running: String?
        var startup: String?
        if let node = values["commands"], let commands = node.mapping(allowed: ["running", "startup"]) {
            running = commands.string("running", required: true)
            startup = commands.string("startup")
        } else if values["commands"] == nil {
            missing("commands")
        }

        var facts: [FactCommand] = []
        for item in values["facts"]?.sequence() ?? [] {
            let keys = Set(["command", "fixed"] + DeviceFacts.Field.allCases.map(\.rawValue))
            guard let factMap = item.mapping(allowed: keys), let command = factMap.string("command", required: true) else {
                continue
            }
            var extractors: [DeviceFacts.Field: RulePattern] = [:]
            for field in DeviceFacts.Field.allCases {
                if let pattern = factMap[field.rawValue]?.regex() { extractors[field] = pattern }
            }
            var fixed: [DeviceFacts.Field: String] = [:]
            let fieldNames = Set(DeviceFacts.Field.allCases.map(\.rawValue))
            if let fixedNode = factMap["fixed"], let fixedMap = fixedNode.mapping(allowed: fieldNames) {
                for field in DeviceFacts.Field.allCases {
                    if let value = fixedMap.string(field.rawValue) { fixed[field] = value }
                }
            }
            facts.append(FactCommand(command: command, extractors: extractors, fixed: fixed))
        }

        var trimHead: [RulePattern] = []
        var trimTail: [RulePattern] = []
        if let node = values["trim"], let trim = node.mapping(allowed: ["head", "tail"]) {
            trimHead = trim["head"]?.regexList() ?? []
            trimTail = trim["tail"]?.regexList() ?? []
        }

        var secrets: [RulePattern] = []
        for item in values["secrets"]?.sequence() ?? [] {
            guard let entry = item.mapping(allowed: ["include", "pattern"]) else { continue }
            if let include = entry["include"], let setName = include.string() {
                if let set = secretSets[setName] {
                    secrets += set
                } else {
                    let known = secretSets.keys.sorted().joined(separator: ", ")
                    include.error("unknown secret set '\(setName)' (sets in secrets/: \(known.isEmpty ? "none" : known))")
                }
            }
            if let patternNode = entry["pattern"], let pattern = patternNode.regex() {
                if pattern.groupNames.contains("secret") {
                    secrets.append(pattern)
                } else {
                    patternNode.error("secret pattern must have a (?<secret>...) group marking the text to hide")
                }
            }
            if !entry.has("include") && !entry.has("pattern") {
                item.error("a secrets entry needs 'include' or 'pattern'")
            }
        }

        let minimumLines = values["min_lines"]?.int(in: 1...1_000_000) ?? 1
        // Read every remaining key before giving up, so all of their problems are reported in one run.
        let description = values["description"]?.string() ?? ""
        let afterLogin = values["after_login"]?.stringList() ?? []
        let errors = values["errors"]?.regexList() ?? []
        let volatile = values["volatile"]?.regexList() ?? []
        let endMarker = values["end_marker"]?.regex()
        let exitCommand = values["exit"]?.string()
        guard let prompt, let running else { return nil }
        let platform = PlatformRules(
            name: name,
            description: description,
            prompt: prompt,
            enable: enable,
            afterLogin: afterLogin,
            pager: pager,
            errors: errors,
            runningCommand: running,
            startupCommand: startup,
            facts: facts,
            trimHead: trimHead,
            trimTail: trimTail,
            volatile: volatile,
            secrets: secrets,
            endMarker: endMarker,
            minimumLines: minimumLines,
            exitCommand: exitCommand,
            location: mapping.location
        )
        return diagnostics.diagnostics.count == errorsBefore ? platform : nil
    }
}
