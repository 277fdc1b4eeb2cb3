import Foundation

/// Trap rules: which traps report configuration changes, and where their varbinds say who and from where.
///
/// Loaded from `rules/traps/<MIB>.yaml` (see docs/snmp.md for the format). Pure data and decisions: no SNMP here.
public struct TrapRuleBook: Sendable {
    /// The rules by trap OID (numeric, no leading dot).
    public var rules: [String: TrapRule]
    /// The files they came from.
    public var files: [String]

    /// No rules: every trap is "not a change".
    public static let empty = TrapRuleBook(rules: [:], files: [])

    public init(rules: [String: TrapRule], files: [String]) {
        self.rules = rules
        self.files = files
    }

    /// Loads `directory/traps/*.yaml`, `directory` being the rules directory (as for `RuleBook.load`).
    /// - Throws: `DiagnosticError` with every problem as file:line:column.
    public static func load(directory: String) throws -> TrapRuleBook {
        let diagnostics = DiagnosticCollector()
        let book = load(directory: directory, diagnostics: diagnostics)
        try diagnostics.throwIfAny()
        return book
    }

    /// Decides what a trap means. An unknown trap is not a change (and says so in `reason`).
    public func classify(trapOID: String, varbinds: [(oid: String, value: SNMPValue)]) -> TrapClassification {
        let key = TrapRule.normalizedOID(trapOID)
        guard let rule = rules[key] else {
            return TrapClassification(change: false, reason: "no trap rule for \(key)")
        }
        return rule.classify(varbinds: varbinds)
    }
}

/// One trap's rule: its identity, which varbinds carry which fields, and the cases that decide.
public struct TrapRule: Sendable {
    /// A varbind the rule reads: a column or scalar OID (the instance suffix in the trap is ignored), with an
    /// optional enumeration so values show and compare by name.
    struct Varbind: Sendable {
        var name: String
        var oid: String
        /// Enumeration name → number.
        var enumeration: [String: Int64]

        func find(in varbinds: [(oid: String, value: SNMPValue)]) -> SNMPValue? {
            varbinds.first { $0.oid == oid || $0.oid.hasPrefix(oid + ".") }?.value
        }

        /// The value as the rules and the commit message show it: an enumeration's name, text, an address.
        func render(_ value: SNMPValue) -> String? {
            if let number = value.integerValue, case .integer = value,
                let name = enumeration.first(where: { $0.value == number })?.key
            {
                return name
            }
            guard let text = value.textValue?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty,
                text != "0.0.0.0"
            else { return nil }
            return text
        }
    }

    /// A value a condition accepts.
    enum Expected: Sendable, Equatable {
        case number(Int64)
        case text(String)
    }

    /// `when: {varbind: value-or-list}`, all of which must hold; then the outcome.
    struct Case: Sendable {
        var conditions: [(varbind: String, accepted: [Expected])]
        /// nil = not a change.
        var kind: ChangeKind?
        var reason: String?
    }

    /// The classification fields a rule can fill from varbinds.
    enum Field: String, Sendable, CaseIterable {
        case user, source, terminal
        case commandSource = "command_source"
        case configSource = "config_source"
        case destination
        case comment
    }

    public var mib: String
    public var name: String
    /// Numeric, no leading dot.
    public var oid: String
    public var location: SourceLocation
    var varbinds: [String: Varbind]
    /// Field → varbind names, the first with a value wins.
    var fields: [Field: [String]]
    /// Tried in order; none matching = not a change.
    var cases: [Case]

    /// `MIB.name`, as events and commits name the rule.
    public var qualifiedName: String { "\(mib).\(name)" }

    static func normalizedOID(_ oid: String) -> String {
        oid.hasPrefix(".") ? String(oid.dropFirst()) : oid
    }

    func classify(varbinds received: [(oid: String, value: SNMPValue)]) -> TrapClassification {
        var result = TrapClassification(change: false, rule: qualifiedName, mib: mib)
        func value(_ field: Field) -> String? {
            for name in fields[field] ?? [] {
                if let varbind = varbinds[name], let value = varbind.find(in: received),
                    let text = varbind.render(value)
                {
                    return text
                }
            }
            return nil
        }
        result.user = value(.user)
        result.terminal = value(.terminal)
        result.source = value(.source) ?? result.terminal
        result.commandSource = value(.commandSource)
        result.configSource = value(.configSource)
        result.destination = value(.destination)
        result.comment = value(.comment)
        for ruleCase in cases where ruleCase.conditions.allSatisfy({ holds($0.varbind, $0.accepted, received) }) {
            result.change = ruleCase.kind != nil
            result.kind = ruleCase.kind
            result.reason = ruleCase.reason
            return result
        }
        result.reason = "no case of \(qualifiedName) matched: not a change"
        return result
    }

    private func holds(_ name: String, _ accepted: [Expected], _ received: [(oid: String, value: SNMPValue)]) -> Bool {
        guard let varbind = varbinds[name], let value = varbind.find(in: received) else { return false }
        return accepted.contains { expected in
            switch expected {
            case .number(let number): value.integerValue == number
            case .text(let text): value.textValue == text
            }
        }
    }
}
