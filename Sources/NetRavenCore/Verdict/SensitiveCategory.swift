/// A kind of configuration line whose change is never routine: authentication, local users, SNMP communities,
/// management access lists, keys. From `rules/sensitive/*.yaml` or the `verdict.sensitive` section.
public struct SensitiveCategory: Sendable {
    public var name: String
    public var patterns: [RulePattern]

    public init(name: String, patterns: [RulePattern]) {
        self.name = name
        self.patterns = patterns
    }

    /// Whether the line, or a line it is nested under, matches.
    public func matches(_ line: ContextLine) -> Bool {
        patterns.contains { pattern in
            pattern.matches(line.text) || line.ancestors.contains { pattern.matches($0) }
        }
    }
}
