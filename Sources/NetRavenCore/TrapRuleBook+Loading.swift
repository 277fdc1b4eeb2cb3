import Foundation

extension TrapRuleBook {
    static func load(directory: String, diagnostics: DiagnosticCollector) -> TrapRuleBook {
        let trapsDirectory = (directory as NSString).appendingPathComponent("traps")
        // A rules directory without traps/ is valid (no trap rules yet): every trap is then "not a change".
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: trapsDirectory) else { return .empty }
        var rules: [String: TrapRule] = [:]
        var files: [String] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let file = (trapsDirectory as NSString).appendingPathComponent(name)
            files.append(file)
            for rule in TrapRuleFileReader(file: file, diagnostics: diagnostics).read() {
                if let previous = rules[rule.oid] {
                    diagnostics.add(
                        rule.location.diagnostic(
                            "trap \(rule.oid) already has a rule: \(previous.qualifiedName) at \(previous.location)"))
                    continue
                }
                rules[rule.oid] = rule
            }
        }
        return TrapRuleBook(rules: rules, files: files)
    }
}

/// Reads one `rules/traps/<MIB>.yaml` file; closed keys, every problem reported at its position.
struct TrapRuleFileReader {
    let file: String
    let diagnostics: DiagnosticCollector

    static let topKeys: Set<String> = ["mib", "source", "description", "enums", "varbinds", "traps"]
    static let trapKeys: Set<String> = ["name", "oid", "description", "kind", "change", "reason", "fields", "cases"]
    static let caseKeys: Set<String> = ["when", "kind", "change", "reason"]

    func read() -> [TrapRule] {
        guard let yaml = YAMLFile.load(path: file, diagnostics: diagnostics) else { return [] }
        guard let root = yaml.root else {
            diagnostics.add(Diagnostic(file: file, line: 0, column: 0, message: "file is empty"))
            return []
        }
        let reader = NodeReader(node: root, file: file, diagnostics: diagnostics, path: "")
        guard let top = reader.mapping(allowed: Self.topKeys) else { return [] }
        let expectedMIB = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let mib = top.string("mib", required: true) ?? expectedMIB
        if mib != expectedMIB {
            top["mib"]?.error("mib '\(mib)' differs from the file name '\(expectedMIB)'")
        }
        // Where the OIDs come from is part of the rule: a reviewer must be able to check them.
        _ = top.string("source", required: true)
        _ = top.string("description")

        var enums: [String: [String: Int64]] = [:]
        for (name, _, node) in top["enums"]?.namedEntries() ?? [] {
            var values: [String: Int64] = [:]
            for (label, _, valueNode) in node.namedEntries() ?? [] {
                if let number = valueNode.int() { values[label] = Int64(number) }
            }
            enums[name] = values
        }

        var varbinds: [String: TrapRule.Varbind] = [:]
        for (name, _, node) in top["varbinds"]?.namedEntries() ?? [] {
            if let varbind = readVarbind(name: name, node: node, enums: enums) { varbinds[name] = varbind }
        }

        var rules: [TrapRule] = []
        var seen: [String: SourceLocation] = [:]
        for item in top.required("traps")?.sequence() ?? [] {
            guard let rule = readTrap(item, mib: mib, varbinds: varbinds) else { continue }
            if let previous = seen[rule.name] {
                item.error("trap name '\(rule.name)' is used twice in this file (first at line \(previous.line))")
                continue
            }
            seen[rule.name] = rule.location
            rules.append(rule)
        }
        return rules
    }

    func readOID(_ node: NodeReader) -> String? {
        guard let text = node.string() else { return nil }
        let oid = TrapRule.normalizedOID(text)
        let arcs = oid.split(separator: ".", omittingEmptySubsequences: false)
        guard arcs.count >= 2, arcs.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && UInt32($0) != nil }) else {
            node.error("\(node.path) must be a numeric OID such as 1.3.6.1.4.1.9.9.43.2.0.1, found '\(text)'")
            return nil
        }
        return oid
    }

    func readVarbind(name: String, node: NodeReader, enums: [String: [String: Int64]]) -> TrapRule.Varbind? {
        if case .scalar = node.node {
            return readOID(node).map { TrapRule.Varbind(name: name, oid: $0, enumeration: [:]) }
        }
        guard let map = node.mapping(allowed: ["oid", "enum"]), let oidNode = map.required("oid"),
            let oid = readOID(oidNode)
        else { return nil }
        var enumeration: [String: Int64] = [:]
        if let enumNode = map["enum"], let enumName = enumNode.string() {
            if let values = enums[enumName] {
                enumeration = values
            } else {
                let known = enums.keys.sorted().joined(separator: ", ")
                enumNode.error("unknown enum '\(enumName)' (enums in this file: \(known.isEmpty ? "none" : known))")
                return nil
            }
        }
        return TrapRule.Varbind(name: name, oid: oid, enumeration: enumeration)
    }

    func readTrap(_ node: NodeReader, mib: String, varbinds: [String: TrapRule.Varbind]) -> TrapRule? {
        guard let map = node.mapping(allowed: Self.trapKeys) else { return nil }
        let errorsBefore = diagnostics.diagnostics.count
        let name = map.string("name", required: true)
        let oid = map.required("oid").flatMap(readOID)
        _ = map.string("description")

        var fields: [TrapRule.Field: [String]] = [:]
        if let fieldsNode = map["fields"],
            let fieldMap = fieldsNode.mapping(allowed: Set(TrapRule.Field.allCases.map(\.rawValue)))
        {
            for entry in fieldMap.entries {
                guard let field = TrapRule.Field(rawValue: entry.key), let names = entry.value.stringList() else {
                    continue
                }
                for varbindName in names where varbinds[varbindName] == nil {
                    entry.value.error("\(entry.value.path): no varbind '\(varbindName)' in this file's varbinds")
                }
                fields[field] = names
            }
        }

        var cases: [TrapRule.Case] = []
        let outcome = readOutcome(map, at: node)
        if let casesNode = map["cases"] {
            if outcome != nil {
                node.error("a trap rule has either cases or a kind / change: false, not both")
            }
            for item in casesNode.sequence() ?? [] {
                guard let caseMap = item.mapping(allowed: Self.caseKeys) else { continue }
                var conditions: [(varbind: String, accepted: [TrapRule.Expected])] = []
                if let whenNode = caseMap["when"] {
                    for (varbindName, keyLocation, valueNode) in whenNode.namedEntries() ?? [] {
                        guard let varbind = varbinds[varbindName] else {
                            diagnostics.add(
                                keyLocation.diagnostic("no varbind '\(varbindName)' in this file's varbinds"))
                            continue
                        }
                        conditions.append((varbindName, readExpected(valueNode, varbind: varbind)))
                    }
                }
                guard let caseOutcome = readOutcome(caseMap, at: item) else {
                    if !caseMap.has("kind") && !caseMap.has("change") {
                        item.error("a case needs kind (committed, saved, rollback) or change: false")
                    }
                    continue
                }
                cases.append(TrapRule.Case(conditions: conditions, kind: caseOutcome.kind, reason: caseOutcome.reason))
            }
        } else if let outcome {
            cases = [TrapRule.Case(conditions: [], kind: outcome.kind, reason: outcome.reason)]
        } else {
            node.error("a trap rule needs kind (committed, saved, rollback), change: false, or cases")
        }
        guard let name, let oid, diagnostics.diagnostics.count == errorsBefore else { return nil }
        return TrapRule(
            mib: mib, name: name, oid: oid, location: node.location, varbinds: varbinds, fields: fields, cases: cases)
    }

    /// `kind: X` (a change) or `change: false` (not one), with an optional `reason`; nil when neither is given.
    func readOutcome(_ map: MappingReader, at node: NodeReader) -> (kind: ChangeKind?, reason: String?)? {
        let reason = map.string("reason")
        if let kindNode = map["kind"], let text = kindNode.string() {
            if map.has("change") { node.error("use kind or change: false, not both") }
            guard let kind = ChangeKind(rawValue: text) else {
                let known = ChangeKind.allCases.map(\.rawValue).joined(separator: ", ")
                kindNode.error("\(kindNode.path) must be one of \(known), found '\(text)'")
                return nil
            }
            return (kind, reason)
        }
        if let changeNode = map["change"], let change = changeNode.bool() {
            if change {
                changeNode.error("change: true needs a kind instead (kind: committed, saved or rollback)")
                return nil
            }
            return (nil, reason)
        }
        return nil
    }

    /// One value or a list; enumeration names resolve through the varbind's enum, numbers stay numbers.
    func readExpected(_ node: NodeReader, varbind: TrapRule.Varbind) -> [TrapRule.Expected] {
        let items: [NodeReader]
        if case .sequence = node.node { items = node.sequence() ?? [] } else { items = [node] }
        return items.compactMap { item -> TrapRule.Expected? in
            guard let text = item.string() else { return nil }
            if let number = Int64(text) { return .number(number) }
            if !varbind.enumeration.isEmpty {
                guard let number = varbind.enumeration[text] else {
                    let known = varbind.enumeration.sorted { $0.value < $1.value }.map { "\($0.key)(\($0.value))" }
                    item.error("'\(text)' is not a value of \(varbind.name) (\(known.joined(separator: " ")))")
                    return nil
                }
                return .number(number)
            }
            return .text(text)
        }
    }
}
