import Foundation

/// Reads `netraven.yaml`, the inventory and credentials files it names, and the rules; checks them together.
public struct ConfigurationLoader: Sendable {
    /// Overrides applied on top of the file (command-line flags).
    public var stateDirectoryOverride: String?
    public var rulesDirectoryOverride: String?
    /// Environment for `env:` secret references.
    public var environment: [String: String]
    /// Rules directories tried when neither the file nor an override names one.
    public var defaultRulesDirectories: [String]

    public init(
        stateDirectoryOverride: String? = nil, rulesDirectoryOverride: String? = nil,
        environment: [String: String]? = nil, defaultRulesDirectories: [String] = ConfigurationLoader.installedRulesDirectories()
    ) {
        self.stateDirectoryOverride = stateDirectoryOverride
        self.rulesDirectoryOverride = rulesDirectoryOverride
        self.environment = environment ?? ProcessInfo.processInfo.environment
        self.defaultRulesDirectories = defaultRulesDirectories
    }

    /// Where rules are looked for by default: next to the installed binary (`../share/netraven/rules`), the build
    /// tree's `rules/` (for `swift run`), then `/usr/share/netraven/rules`.
    public static func installedRulesDirectories() -> [String] {
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let binDirectory = executable.deletingLastPathComponent()
        var candidates = [binDirectory.appendingPathComponent("../share/netraven/rules").standardized.path]
        // A SwiftPM build: .build/<triple>/debug/netraven → the package root's rules/.
        var directory = binDirectory
        for _ in 0..<4 {
            directory = directory.deletingLastPathComponent()
            candidates.append(directory.appendingPathComponent("rules").path)
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/rules")
        candidates.append("/usr/share/netraven/rules")
        return candidates
    }

    /// Loads and checks everything.
    /// - Throws: `DiagnosticError` listing every problem as `file:line:column: message`.
    public func load(path: String) throws -> Configuration {
        let diagnostics = DiagnosticCollector()
        let configuration = load(path: path, diagnostics: diagnostics)
        try diagnostics.throwIfAny()
        guard let configuration else {
            throw DiagnosticError([Diagnostic(file: path, line: 0, column: 0, message: "configuration could not be loaded")])
        }
        return configuration
    }

    func load(path: String, diagnostics: DiagnosticCollector) -> Configuration? {
        guard let yaml = YAMLFile.load(path: path, diagnostics: diagnostics) else { return nil }
        let baseDirectory = (path as NSString).deletingLastPathComponent
        func resolve(_ file: String) -> String {
            file.hasPrefix("/") ? file : (baseDirectory.isEmpty ? file : (baseDirectory as NSString).appendingPathComponent(file))
        }
        guard let root = yaml.root else {
            diagnostics.add(Diagnostic(file: path, line: 0, column: 0, message: "file is empty"))
            return nil
        }
        let reader = NodeReader(node: root, file: path, diagnostics: diagnostics, path: "")
        let keys: Set<String> = [
            "state_dir", "rules_dir", "inventory", "credentials", "allow_readable_credentials", "archive",
            "collection", "logging",
            "debounce",
            "journal", "sweep",
            "syslog",
            "snmp",
            "verdict",
            "alerts",
            "s3",
            "api",
            "outbox",
        ]
        guard let top = reader.mapping(allowed: keys) else { return nil }

        var settings = AgentSettings(stateDirectory: "/var/lib/netraven")
        if let state = stateDirectoryOverride {
            settings.stateDirectory = state
        } else if let state = top.string("state_dir", required: true) {
            settings.stateDirectory = resolve(state)
        }
        if let archive = top["archive"] { settings.archive = readArchive(archive, resolve: resolve) }
        if let collection = top["collection"] { settings.collection = readCollection(collection) }
        if let debounce = top["debounce"] { settings.debounce = readDebounce(debounce) }
        settings.debounce.concurrency = settings.collection.concurrency
        if let journal = top["journal"] { settings.journal = readJournal(journal) }
        if let outbox = top["outbox"] { settings.outbox = readOutbox(outbox) }
        if let logging = top["logging"] {
            settings.logging = readLogging(logging, resolve: resolve)
            settings.logLevel = settings.logging.level.rawValue
        }

        // Rules first: the inventory is checked against their platforms.
        let rulesDirectory: String
        if let override = rulesDirectoryOverride {
            rulesDirectory = override
        } else if let fromFile = top.string("rules_dir") {
            rulesDirectory = resolve(fromFile)
        } else {
            rulesDirectory = defaultRulesDirectories.first { FileManager.default.fileExists(atPath: $0 + "/platforms") }
                ?? defaultRulesDirectories.first ?? "rules"
        }
        settings.rulesDirectory = rulesDirectory
        let rules = RuleBook.load(directory: rulesDirectory, diagnostics: diagnostics)
        let trapRules = TrapRuleBook.load(directory: rulesDirectory, diagnostics: diagnostics)
        let snmp = top["snmp"].flatMap { SNMPSettingsReader(environment: environment).read($0) }

        var files = [path]
        var credentials: [String: CredentialSet] = [:]
        var credentialLocations: [String: SourceLocation] = [:]
        let allowReadable = top["allow_readable_credentials"]?.bool() ?? false
        if let credentialsNode = top.required("credentials"), let file = credentialsNode.string() {
            let credentialsPath = resolve(file)
            files.append(credentialsPath)
            if checkPermissions(credentialsPath, allowReadable: allowReadable, at: credentialsNode) {
                (credentials, credentialLocations) = CredentialsReader(
                    path: credentialsPath, diagnostics: diagnostics, environment: environment, resolve: resolve
                ).read()
            }
        }
        _ = credentialLocations

        var devices: [Device] = []
        if let inventoryNode = top.required("inventory"), let file = inventoryNode.string() {
            let inventoryPath = resolve(file)
            files.append(inventoryPath)
            devices = InventoryReader(
                path: inventoryPath, diagnostics: diagnostics, rules: rules, credentials: credentials,
                pathTemplate: settings.archive.pathTemplate
            ).read()
        }
        if let sweep = top["sweep"] {
            settings.sweep = readSweep(sweep, inventoryGroups: devices.isEmpty ? nil : Set(devices.map(\.group)))
        }
        var configuration = Configuration(
            settings: settings, devices: devices, credentials: credentials, rules: rules, files: files)
        if let syslog = top["syslog"] { configuration.syslog = readSyslog(syslog, resolve: resolve) }
        configuration.snmp = snmp
        if let api = top["api"] { configuration.api = readAPI(api, resolve: resolve) }
        configuration.trapRules = trapRules
        configuration.verdict = readVerdict(
            top["verdict"], categories: SensitiveCategory.load(directory: rulesDirectory, diagnostics: diagnostics))
        if let alerts = top["alerts"] {
            let groups = devices.isEmpty ? nil : Set(devices.map(\.group))
            configuration.alerts = readAlerts(alerts, resolve: resolve, deviceGroups: groups)
        }
        if let s3 = top["s3"] { configuration.s3 = readS3(s3, resolve: resolve) }
        return configuration
    }

    /// Refuses a credentials file others can read, as ssh refuses a loose private key.
    func checkPermissions(_ path: String, allowReadable: Bool, at node: NodeReader) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            node.error("credentials file \(path) cannot be read")
            return false
        }
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
        if mode & 0o077 != 0 && !allowReadable {
            node.error(
                "credentials file \(path) is readable by others (mode \(String(mode, radix: 8))); "
                    + "run 'chmod 600 \(path)' or set allow_readable_credentials: true")
            return false
        }
        return true
    }

    func readArchive(_ node: NodeReader, resolve: (String) -> String) -> ArchiveSettings {
        var archive = ArchiveSettings()
        guard let map = node.mapping(allowed: ["path_template", "mask_secrets", "collect_startup", "remote", "author"]) else {
            return archive
        }
        if let templateNode = map["path_template"], let text = templateNode.string() {
            do {
                archive.pathTemplate = try PathTemplate(text)
            } catch {
                templateNode.error("\(error)")
            }
        }
        archive.maskSecrets = map["mask_secrets"]?.bool() ?? false
        archive.collectStartup = map["collect_startup"]?.bool() ?? false
        if let author = map["author"], let authorMap = author.mapping(allowed: ["name", "email"]) {
            archive.authorName = authorMap.string("name") ?? archive.authorName
            archive.authorEmail = authorMap.string("email") ?? archive.authorEmail
        }
        if let remoteNode = map["remote"],
            let remote = remoteNode.mapping(allowed: [
                "url", "push", "branch", "username", "private_key", "passphrase", "token", "host_key",
                "ca_file",
            ]),
            let url = remote.string("url", required: true)
        {
            var settings = RemoteSettings(url: url)
            if !(url.hasPrefix("file://") || url.hasPrefix("ssh://") || url.hasPrefix("https://") || url.hasPrefix("/")) {
                remote["url"]?.error("remote url must start with file://, ssh:// or https:// (or be an absolute path)")
            }
            settings.push = remote["push"]?.bool() ?? true
            settings.branch = remote.string("branch") ?? "main"
            settings.username = remote.string("username")
            settings.privateKeyPath = remote.string("private_key").map(resolve)
            settings.passphrase = readSecret(remote["passphrase"])
            settings.token = readSecret(remote["token"])
            if let hostKeyNode = remote["host_key"], let hostKey = hostKeyNode.string() {
                if hostKey == "tofu" || hostKey == "off" || hostKey.hasPrefix("SHA256:") {
                    settings.hostKey = hostKey
                } else {
                    hostKeyNode.error("host_key must be 'tofu', 'off' or a pinned fingerprint 'SHA256:...'")
                }
            }
            settings.caFile = readCAFile(remote["ca_file"], url: url, resolve: resolve)
            archive.remote = settings
        }
        return archive
    }

    func readSecret(_ node: NodeReader?) -> Secret? {
        guard let node, !node.isNull, let text = node.string() else { return nil }
        do {
            return try SecretReference(parsing: text).resolve(environment: environment)
        } catch {
            node.error("\(error)")
            return nil
        }
    }

    func readCollection(_ node: NodeReader) -> CollectionSettings {
        var collection = CollectionSettings()
        guard let map = node.mapping(allowed: [
                "concurrency", "connect_timeout", "command_timeout", "overall_timeout", "retries", "backoff",
            ])
        else { return collection }
        collection.concurrency = map["concurrency"]?.int(in: 1...1024) ?? collection.concurrency
        collection.connectTimeout = map["connect_timeout"]?.duration() ?? collection.connectTimeout
        collection.commandTimeout = map["command_timeout"]?.duration() ?? collection.commandTimeout
        collection.overallTimeout = map["overall_timeout"]?.duration() ?? collection.overallTimeout
        collection.retries = map["retries"]?.int(in: 0...20) ?? collection.retries
        if let backoffNode = map["backoff"],
            let backoff = backoffNode.mapping(allowed: ["initial", "max", "multiplier", "jitter"])
        {
            collection.backoff.initial = backoff["initial"]?.duration() ?? collection.backoff.initial
            collection.backoff.maximum = backoff["max"]?.duration() ?? collection.backoff.maximum
            if let multiplier = backoff["multiplier"], let text = multiplier.string() {
                if let value = Double(text), value >= 1 {
                    collection.backoff.multiplier = value
                } else {
                    multiplier.error("collection.backoff.multiplier must be a number of at least 1")
                }
            }
            if let jitter = backoff["jitter"], let text = jitter.string() {
                if let value = Double(text), (0...1).contains(value) {
                    collection.backoff.jitter = value
                } else {
                    jitter.error("collection.backoff.jitter must be a number from 0 to 1")
                }
            }
        }
        return collection
    }
}

extension ConfigurationLoader {
    func readDebounce(_ node: NodeReader) -> DebounceSettings {
        var debounce = DebounceSettings()
        guard let map = node.mapping(allowed: ["quiet", "max_delay", "recheck_delay"]) else { return debounce }
        debounce.quietPeriod = map["quiet"]?.duration() ?? debounce.quietPeriod
        debounce.maximumDelay = map["max_delay"]?.duration() ?? debounce.maximumDelay
        debounce.recheckDelay = map["recheck_delay"]?.duration() ?? debounce.recheckDelay
        if debounce.maximumDelay < debounce.quietPeriod, let node = map["max_delay"] ?? map["quiet"] {
            node.error("debounce.max_delay (\(debounce.maximumDelay)) must not be shorter than debounce.quiet (\(debounce.quietPeriod))")
        }
        return debounce
    }
}

/// Log level names accepted in configuration and on the command line.
public enum LogLevelName {
    public static let allowed = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
}
