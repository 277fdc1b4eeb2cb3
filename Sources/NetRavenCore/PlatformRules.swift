import Foundation

/// How to talk to one kind of device and how to clean what it prints: the data in `rules/platforms/<name>.yaml`.
public struct PlatformRules: Sendable {
    /// The platform name devices refer to (`cisco_ios`).
    public var name: String
    public var description: String
    /// Matches the device's CLI prompt at the end of the output (after cleaning).
    public var prompt: RulePattern
    /// How to reach privileged mode, when the platform has one.
    public var enable: EnableRules?
    /// Commands sent once after login (paging off, terminal width); their output is discarded.
    public var afterLogin: [String]
    /// A pager prompt to answer when paging could not be turned off.
    public var pager: PagerRules?
    /// Output that means the device rejected a command.
    public var errors: [RulePattern]
    /// The command that prints the running configuration.
    public var runningCommand: String
    /// The command that prints the startup configuration, when collected.
    public var startupCommand: String?
    /// Commands whose output yields device facts.
    public var facts: [FactCommand]
    /// Lines removed from the start of the configuration output while they match (banners, "Building configuration").
    public var trimHead: [RulePattern]
    /// Lines removed from the end of the configuration output while they match.
    public var trimTail: [RulePattern]
    /// Lines that change without a configuration change (timestamps, clock drift): never stored, never a change.
    public var volatile: [RulePattern]
    /// Secret-masking patterns; each has a `secret` group whose text is replaced when masking is on.
    public var secrets: [RulePattern]
    /// The configuration's last meaningful line; output without it is truncated.
    public var endMarker: RulePattern?
    /// Fewer lines than this is a truncated configuration.
    public var minimumLines: Int
    /// The command that ends the session politely.
    public var exitCommand: String?
    /// Where the platform was defined.
    public var location: SourceLocation

    public init(
        name: String, description: String = "", prompt: RulePattern, enable: EnableRules? = nil,
        afterLogin: [String] = [], pager: PagerRules? = nil, errors: [RulePattern] = [],
        runningCommand: String, startupCommand: String? = nil, facts: [FactCommand] = [],
        trimHead: [RulePattern] = [], trimTail: [RulePattern] = [], volatile: [RulePattern] = [],
        secrets: [RulePattern] = [], endMarker: RulePattern? = nil, minimumLines: Int = 1,
        exitCommand: String? = nil, location: SourceLocation
    ) {
        self.name = name
        self.description = description
        self.prompt = prompt
        self.enable = enable
        self.afterLogin = afterLogin
        self.pager = pager
        self.errors = errors
        self.runningCommand = runningCommand
        self.startupCommand = startupCommand
        self.facts = facts
        self.trimHead = trimHead
        self.trimTail = trimTail
        self.volatile = volatile
        self.secrets = secrets
        self.endMarker = endMarker
        self.minimumLines = minimumLines
        self.exitCommand = exitCommand
        self.location = location
    }
}

/// How a platform enters privileged mode.
public struct EnableRules: Sendable {
    /// The command (`enable`).
    public var command: String
    /// A prompt matching this means "not yet privileged".
    public var unprivilegedPrompt: RulePattern
    /// The device asking for the enable secret.
    public var passwordPrompt: RulePattern
    /// Output meaning the secret was refused.
    public var failure: RulePattern?
}

/// A pager prompt and the key that continues it.
public struct PagerRules: Sendable {
    public var pattern: RulePattern
    public var send: String
}

/// A command whose output yields facts, and the patterns that extract them.
///
/// Each pattern's value is its `value` group if it has one, else its first group.
public struct FactCommand: Sendable {
    public var command: String
    public var extractors: [DeviceFacts.Field: RulePattern]
    /// Facts the platform implies rather than prints (EOS never names itself in `show version`): set once the
    /// command answered, unless an extractor found a value.
    public var fixed: [DeviceFacts.Field: String] = [:]
}

/// What a device says about itself; stored next to its configuration.
public struct DeviceFacts: Sendable, Equatable, Codable {
    public enum Field: String, Sendable, CaseIterable, Codable {
        case serial
        case osName = "os_name"
        case osVersion = "os_version"
        case model
    }

    public var serial: String?
    public var osName: String?
    public var osVersion: String?
    public var model: String?

    public init(serial: String? = nil, osName: String? = nil, osVersion: String? = nil, model: String? = nil) {
        self.serial = serial
        self.osName = osName
        self.osVersion = osVersion
        self.model = model
    }

    public subscript(field: Field) -> String? {
        get {
            switch field {
            case .serial: serial
            case .osName: osName
            case .osVersion: osVersion
            case .model: model
            }
        }
        set {
            switch field {
            case .serial: serial = newValue
            case .osName: osName = newValue
            case .osVersion: osVersion = newValue
            case .model: model = newValue
            }
        }
    }

    public var isEmpty: Bool { Field.allCases.allSatisfy { self[$0] == nil } }
}

extension FactCommand {
    /// Applies the extractors to one command's output.
    public func extract(from output: String, into facts: inout DeviceFacts) {
        for (field, pattern) in extractors where facts[field] == nil {
            guard let match = pattern.firstMatch(in: output, groups: ["value"]) else { continue }
            let value = match.groups["value"] ?? match.numbered.compactMap { $0 }.first ?? String(output[match.range])
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { facts[field] = trimmed }
        }
        for (field, value) in fixed where facts[field] == nil {
            facts[field] = value
        }
    }
}
