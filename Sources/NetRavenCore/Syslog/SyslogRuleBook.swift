import Foundation

/// The syslog change rules of a rules directory (`rules/syslog/<vendor>.yaml`) and the decision they make.
public struct SyslogRuleBook: Sendable {
    /// Every rule, vendor files in name order, rules in file order: the first positive match that no negative rule
    /// of its family vetoes decides.
    public var rules: [SyslogRule]
    /// Per vendor file: the notes it carries on where the vendor has no dedicated change message.
    public var notes: [String: String]

    /// A book of `rules`.
    public init(rules: [SyslogRule] = [], notes: [String: String] = [:]) {
        self.rules = rules
        self.notes = notes
    }

    /// The platforms some rule applies to.
    public var platforms: Set<String> { Set(rules.flatMap(\.platforms)) }

    /// Loads `directory/syslog/*.yaml`; a rules directory without `syslog/` gives an empty book.
    /// - Throws: `DiagnosticError` with every problem in every file, as `file:line:column`.
    public static func load(directory: String) throws -> SyslogRuleBook {
        let diagnostics = DiagnosticCollector()
        let book = load(directory: directory, diagnostics: diagnostics)
        try diagnostics.throwIfAny()
        return book
    }

    static func load(directory: String, diagnostics: DiagnosticCollector) -> SyslogRuleBook {
        let path = (directory as NSString).appendingPathComponent("syslog")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return SyslogRuleBook() }
        var book = SyslogRuleBook()
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let file = (path as NSString).appendingPathComponent(name)
            let vendor = (name as NSString).deletingPathExtension
            let reader = SyslogRuleFileReader(file: file, vendor: vendor, diagnostics: diagnostics)
            if let (rules, notes) = reader.read() {
                book.rules += rules
                if let notes { book.notes[vendor] = notes }
            }
        }
        return book
    }

    /// Decides whether `message` reports a configuration change.
    ///
    /// - Parameter platform: the device's platform when known: only rules for it apply. Nil (`netraven rules test`,
    ///   a device not yet resolved) tries every rule.
    public func classify(_ message: SyslogMessage, platform: String?) -> SyslogClassification {
        let text = message.ruleText
        var vetoedFamilies: Set<String> = []
        var veto: String?
        var positives: [(rule: SyslogRule, match: RulePattern.Match)] = []
        for rule in rules where platform.map(rule.platforms.contains) ?? true {
            // Almost every message is noise: RulePattern searches the literal every match needs (RuleLiteral's,
            // when longer than the leading one) before the regex engine runs.
            guard let match = rule.pattern.firstMatch(in: text, groups: SyslogRule.captureNameList) else {
                continue
            }
            if rule.isChange {
                positives.append((rule, match))
            } else {
                vetoedFamilies.insert(rule.vendor + "." + rule.family)
                veto = veto ?? rule.id
            }
        }
        let accepted = positives.filter { !vetoedFamilies.contains($0.rule.vendor + "." + $0.rule.family) }
        guard let (rule, match) = accepted.first else {
            return SyslogClassification(change: false, platform: platform, host: message.hostname, rule: veto)
        }
        let candidates = Set(accepted.flatMap(\.rule.platforms))
        func field(_ name: String) -> String? {
            guard let value = match.groups[name]?.trimmingCharacters(in: .whitespaces) else { return nil }
            // What devices print when they have no value: `-` (5424), `**` (Huawei console without a user).
            return ["", "-", "**"].contains(value) ? nil : value
        }
        return SyslogClassification(
            change: true,
            kind: rule.kind,
            platform: platform ?? (candidates.count == 1 ? candidates.first : nil),
            host: field("host") ?? message.hostname,
            user: field("user"),
            source: field("source") ?? field("line"),
            commit: field("commit"),
            comment: field("comment"),
            rule: rule.id
        )
    }
}

/// Reads one vendor file; unknown keys, bad patterns and incomplete rules become diagnostics with their position.
private struct SyslogRuleFileReader {
    let file: String
    let vendor: String
    let diagnostics: DiagnosticCollector

    static let fileKeys: Set<String> = ["description", "references", "notes", "rules"]
    static let ruleKeys: Set<String> = ["name", "description", "platforms", "family", "match", "kind", "change"]

    func read() -> ([SyslogRule], String?)? {
        guard let yaml = YAMLFile.load(path: file, diagnostics: diagnostics) else { return nil }
        guard let root = yaml.root else {
            diagnostics.add(Diagnostic(file: file, line: 0, column: 0, message: "file is empty"))
            return nil
        }
        let reader = NodeReader(node: root, file: file, diagnostics: diagnostics, path: "")
        guard let top = reader.mapping(allowed: Self.fileKeys) else { return nil }
        _ = top.string("description")
        _ = top["references"]?.stringList()
        let notes = top.string("notes")
        var rules: [SyslogRule] = []
        var seen: [String: Int] = [:]
        for item in top.required("rules")?.sequence() ?? [] {
            let (name, rule) = readRule(item)
            if let name {
                if let line = seen[name] {
                    item.error("rule '\(vendor).\(name)' is defined twice (first at line \(line))")
                    continue
                }
                seen[name] = item.location.line
            }
            if let rule { rules.append(rule) }
        }
        return (rules, notes)
    }

    /// The rule's name (for duplicate checks, also when the rule is invalid) and the rule when it is valid.
    func readRule(_ item: NodeReader) -> (String?, SyslogRule?) {
        guard let map = item.mapping(allowed: Self.ruleKeys) else { return (nil, nil) }
        let errorsBefore = diagnostics.diagnostics.count
        let name = map.string("name", required: true)
        if let name, let nameNode = map["name"],
            name.isEmpty || !name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "_" })
        {
            nameNode.error("\(nameNode.path) must be letters, digits and underscores, found '\(name)'")
        }
        let platforms = map.required("platforms")?.stringList()
        if let platforms, platforms.isEmpty, let node = map["platforms"] {
            node.error("\(node.path) must name at least one platform")
        }
        let family = map.string("family")
        let pattern = map.required("match")?.regex()
        if let pattern, let node = map["match"] {
            let unknown = pattern.groupNames.filter { !SyslogRule.captureNames.contains($0) }
            if !unknown.isEmpty {
                let known = SyslogRule.captureNames.sorted().joined(separator: ", ")
                node.error(
                    "\(node.path) has capture group\(unknown.count == 1 ? "" : "s") "
                        + "\(unknown.map { "'\($0)'" }.joined(separator: ", ")) (allowed: \(known))")
            }
        }
        var kind: ChangeKind?
        if let node = map["kind"], let text = node.string() {
            kind = ChangeKind(rawValue: text)
            if kind == nil {
                let known = ChangeKind.allCases.map(\.rawValue).joined(separator: ", ")
                node.error("\(node.path) must be one of \(known), found '\(text)'")
            }
        }
        let change = map["change"]?.bool()
        switch (map.has("kind"), change) {
        case (false, nil):
            map.reader.error(
                "a rule needs 'kind' (\(ChangeKind.allCases.map(\.rawValue).joined(separator: ", "))), "
                    + "or 'change: false' for a message that is not a change")
        case (true, false?):
            map["change"]?.error("'change: false' marks a message that is not a change: it takes no 'kind'")
        case (false, true?):
            map["change"]?.error(
                "a change needs a 'kind' (\(ChangeKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        default:
            break
        }
        let description = map.string("description") ?? ""
        guard diagnostics.diagnostics.count == errorsBefore, let name, let platforms, let pattern else {
            return (name, nil)
        }
        return (
            name,
            SyslogRule(
                id: "\(vendor).\(name)", vendor: vendor, platforms: platforms, family: family ?? "", pattern: pattern,
                kind: kind, description: description)
        )
    }
}
