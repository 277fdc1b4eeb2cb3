import Foundation
import NetRavenCore

/// What the targets share: the repository's `rules/` directory and an inventory with one device per platform the
/// syslog rules know, so classification reaches device resolution and event building.
///
/// Built once per process: loading the real rules takes milliseconds, an input microseconds.
struct FuzzFixture: Sendable {
    /// The repository root, from this file's place in `Sources/NetRavenFuzzing/`.
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The fixture; loading the repository's rules must work, or no target means anything.
    static let shared: FuzzFixture = {
        do {
            return try FuzzFixture(rulesDirectory: repositoryRoot + "/rules")
        } catch {
            fatalError("fuzz fixture: cannot load \(repositoryRoot)/rules: \(error)")
        }
    }()

    /// Relays allowed to forward other devices' messages (their messages resolve by the hostname inside).
    static let relayNetwork = "198.51.100.0/24"
    /// Senders the classifier sees: each device's address, a relay, and a stranger.
    let peers: [String]
    let devices: [Device]
    let syslogRules: SyslogRuleBook
    let trapRules: TrapRuleBook
    let classifier: EventClassifier
    /// The trap fixtures of `rules/fixtures/traps`, for trap OIDs and varbind OIDs the rules know.
    let trapFixtures: [TrapFixture]

    init(rulesDirectory: String) throws {
        var rules = try RuleBook.load(directory: rulesDirectory)
        syslogRules = try SyslogRuleBook.load(directory: rulesDirectory)
        rules.syslog = syslogRules
        trapRules = try TrapRuleBook.load(directory: rulesDirectory)
        trapFixtures = try TrapFixture.loadAll(rulesDirectory: rulesDirectory)
        var devices: [Device] = []
        for (index, platform) in syslogRules.platforms.sorted().enumerated() {
            let name = "dev-" + platform.replacingOccurrences(of: "_", with: "-")
            devices.append(
                Device(
                    name: name, host: "192.0.2.\(index + 1)", platform: platform,
                    aliases: ["\(name).example.net", "2001:db8::\(index + 1)"]))
        }
        self.devices = devices
        peers = devices.map(\.host) + ["198.51.100.7", "203.0.113.9", "not-an-address"]
        var configuration = Configuration(
            settings: AgentSettings(stateDirectory: "/nonexistent"), devices: devices, credentials: [:], rules: rules)
        configuration.trapRules = trapRules
        let relays = [IPPrefix(Self.relayNetwork)].compactMap { $0 }
        let resolver = EventSourceResolver(devices: devices, relays: relays)
        classifier = EventClassifier(configuration: configuration, syslogResolver: resolver, trapResolver: resolver)
    }

    /// A peer picked by `selector` (any number), so every input reaches one deterministically.
    func peer(_ selector: Int) -> String {
        peers[selector % peers.count]
    }

    /// What every trap verdict must respect: a trap is never "malformed" (that is syslog's), and a change names an
    /// inventory device.
    func trapVerdictProblems(_ verdict: EventClassifier.Verdict) -> [String] {
        switch verdict {
        case .change(let event):
            devices.contains(where: { $0.name == event.device })
                ? [] : ["change event for '\(event.device)', not an inventory device"]
        case .malformed(let reason):
            ["a trap is never malformed, got \(reason)"]
        case .notAChange, .unresolved, .rejected:
            []
        }
    }
}
