import Foundation

/// Everything the agent runs on: its settings, the devices, their credentials and the rules.
public struct Configuration: Sendable {
    public var settings: AgentSettings
    public var devices: [Device]
    public var credentials: [String: CredentialSet]
    public var rules: RuleBook
    /// The files it was read from, for messages.
    public var files: [String]
    /// The `syslog:` section: listeners, relays, limits.
    public var syslog = SyslogSettings()
    /// The `snmp:` section; nil when the file has none (no trap receiver).
    public var snmp: SNMPSettings?
    /// Trap rules from `rules/traps/` (empty when the rules directory has none).
    public var trapRules: TrapRuleBook = .empty
    /// The `verdict:` section with the rules' sensitive categories: decides whether a change was expected.
    public var verdict = VerdictPolicy()
    /// The `alerts:` section: destinations, routes, grouping (docs/alerts.md).
    public var alerts = AlertSettings()
    /// The `s3:` section; nil when the file has none (no uploads).
    public var s3: S3Settings?
    /// The `api:` section; nil when the file has none (no HTTP API or web page).
    public var api: APISettings?

    public init(
        settings: AgentSettings, devices: [Device], credentials: [String: CredentialSet], rules: RuleBook,
        files: [String] = []
    ) {
        self.settings = settings
        self.devices = devices
        self.credentials = credentials
        self.rules = rules
        self.files = files
    }

    /// The device called `name`, or known by it as an alias.
    public func device(named name: String) -> Device? {
        devices.first { $0.name == name } ?? devices.first { $0.aliases.contains(name) }
    }

    /// Devices selected by name, group or tag (`r1`, `core`, `edge`), in inventory order, without duplicates.
    /// - Returns: the devices, and the selectors that matched nothing.
    public func select(_ selectors: [String]) -> (devices: [Device], unmatched: [String]) {
        var chosen: [Device] = []
        var seen: Set<String> = []
        var unmatched: [String] = []
        for selector in selectors {
            let matches = devices.filter {
                $0.name == selector || $0.aliases.contains(selector) || $0.group == selector || $0.tags.contains(selector)
            }
            if matches.isEmpty { unmatched.append(selector) }
            for device in matches where seen.insert(device.name).inserted {
                chosen.append(device)
            }
        }
        return (chosen, unmatched)
    }
}
