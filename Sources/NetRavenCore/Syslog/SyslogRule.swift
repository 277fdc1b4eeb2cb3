/// One change rule from `rules/syslog/<vendor>.yaml`: a pattern over a message's text and what a match means.
public struct SyslogRule: Sendable {
    /// The named capture groups a pattern may use; any other name is a load error.
    public static let captureNames: Set<String> = ["user", "source", "line", "commit", "comment", "host"]
    /// `captureNames` as the list `RulePattern.firstMatch` takes, made once.
    static let captureNameList = Array(captureNames)

    /// `<vendor>.<name>`, as reported in classifications and commit messages (`cisco_ios.config_i`).
    public var id: String
    /// The vendor file's base name.
    public var vendor: String
    /// The platforms whose messages this rule applies to.
    public var platforms: [String]
    /// Rules of one family describe one kind of message; a matching negative rule vetoes the positive rules of its
    /// family. Scoped to the vendor file; defaults to the whole file.
    public var family: String
    /// The pattern, matched against `SyslogMessage.ruleText`.
    public var pattern: RulePattern
    /// What a match says happened; nil for a negative rule (a match that is NOT a change).
    public var kind: ChangeKind?
    /// Why the rule exists, for people reading the file.
    public var description: String

    /// Whether a match marks the message as a change.
    public var isChange: Bool { kind != nil }

    /// A rule.
    public init(
        id: String, vendor: String, platforms: [String], family: String, pattern: RulePattern, kind: ChangeKind?,
        description: String = ""
    ) {
        self.id = id
        self.vendor = vendor
        self.platforms = platforms
        self.family = family
        self.pattern = pattern
        self.kind = kind
        self.description = description
    }
}

/// What the change rules make of one syslog message.
public struct SyslogClassification: Sendable, Equatable {
    /// Whether the message reports a configuration change.
    public var change: Bool
    /// What happened, for a change.
    public var kind: ChangeKind?
    /// The platform: the one asked for, else the matching rule's when that is unambiguous.
    public var platform: String?
    /// The device name or address the message itself carries (a `host` capture, else the header's hostname); nil
    /// when it carries none, so the listener uses the packet's source address.
    public var host: String?
    /// The user the message names; nil when it names only a line (`by console`).
    public var user: String?
    /// The remote address when given, else the line or channel (`vty0`, `console`), else nil.
    public var source: String?
    /// The device's commit or transaction id.
    public var commit: String?
    /// A commit comment.
    public var comment: String?
    /// The rule that decided (`cisco_ios.config_i`); for a non-change, the negative rule that vetoed, if any.
    public var rule: String?

    /// A classification.
    public init(
        change: Bool, kind: ChangeKind? = nil, platform: String? = nil, host: String? = nil, user: String? = nil,
        source: String? = nil, commit: String? = nil, comment: String? = nil, rule: String? = nil
    ) {
        self.change = change
        self.kind = kind
        self.platform = platform
        self.host = host
        self.user = user
        self.source = source
        self.commit = commit
        self.comment = comment
        self.rule = rule
    }
}
