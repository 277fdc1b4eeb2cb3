import Foundation

/// One recorded trap and what the trap rules must make of it: `rules/fixtures/traps/<MIB>.yaml`.
///
/// Adding a MIB means adding its rule file and a fixture file with positive and negative cases; one
/// parameterized test runs them all. It lives here so rule tooling can validate fixtures with file:line errors.
public struct TrapFixture: Sendable, CustomStringConvertible {
    /// The fixture file's MIB (its file name) and the case name.
    public var file: String
    public var name: String
    public var trapOID: String
    public var varbinds: [(oid: String, value: SNMPValue)]
    public var expected: TrapClassification
    /// Where the case is written, for failure messages.
    public var location: SourceLocation

    public var description: String { "\((file as NSString).lastPathComponent): \(name)" }

    /// Every case of every file in `rulesDirectory/fixtures/traps/`.
    /// - Throws: `DiagnosticError` listing every problem in every file.
    public static func loadAll(rulesDirectory: String) throws -> [TrapFixture] {
        let directory = (rulesDirectory as NSString).appendingPathComponent("fixtures/traps")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        let diagnostics = DiagnosticCollector()
        var fixtures: [TrapFixture] = []
        for name in names where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            fixtures += load(path: (directory as NSString).appendingPathComponent(name), diagnostics: diagnostics)
        }
        try diagnostics.throwIfAny()
        return fixtures
    }

    static let valueKeys = ["integer", "string", "ip", "object_id", "timeticks", "counter32", "gauge32", "counter64"]
    static let expectKeys: Set<String> = [
        "change", "kind", "user", "source", "terminal", "command_source", "config_source", "destination", "comment", "rule",
    ]

    static func load(path: String, diagnostics: DiagnosticCollector) -> [TrapFixture] {
        guard let yaml = YAMLFile.load(path: path, diagnostics: diagnostics), let root = yaml.root else { return [] }
        let reader = NodeReader(node: root, file: path, diagnostics: diagnostics, path: "")
        guard let top = reader.mapping(allowed: ["cases"]) else { return [] }
        var fixtures: [TrapFixture] = []
        for item in top.required("cases")?.sequence() ?? [] {
            guard let map = item.mapping(allowed: ["name", "trap", "varbinds", "expect"]),
                let name = map.string("name", required: true), let trap = map.string("trap", required: true)
            else { continue }
            var varbinds: [(oid: String, value: SNMPValue)] = []
            for varbindNode in map["varbinds"]?.sequence() ?? [] {
                if let varbind = readVarbind(varbindNode) { varbinds.append(varbind) }
            }
            guard let expectNode = map.required("expect"), let expect = expectNode.mapping(allowed: expectKeys),
                let change = expect.required("change")?.bool()
            else { continue }
            var expected = TrapClassification(change: change)
            if let kindNode = expect["kind"], let text = kindNode.string() {
                expected.kind = ChangeKind(rawValue: text)
                if expected.kind == nil { kindNode.error("kind must be committed, saved or rollback") }
            }
            expected.user = expect.string("user")
            expected.source = expect.string("source")
            expected.terminal = expect.string("terminal")
            expected.commandSource = expect.string("command_source")
            expected.configSource = expect.string("config_source")
            expected.destination = expect.string("destination")
            expected.comment = expect.string("comment")
            expected.rule = expect.string("rule")
            fixtures.append(
                TrapFixture(
                    file: path, name: name, trapOID: trap, varbinds: varbinds, expected: expected,
                    location: item.location))
        }
        return fixtures
    }

    static func readVarbind(_ node: NodeReader) -> (oid: String, value: SNMPValue)? {
        guard let map = node.mapping(allowed: Set(["oid"] + valueKeys)),
            let oid = map.string("oid", required: true)
        else { return nil }
        let given = map.entries.filter { valueKeys.contains($0.key) }
        guard given.count == 1, let entry = given.first, let text = entry.value.string() else {
            node.error("a varbind needs oid and exactly one of \(valueKeys.joined(separator: ", "))")
            return nil
        }
        let value: SNMPValue?
        switch entry.key {
        case "integer": value = Int64(text).map { .integer($0) }
        case "string": value = .string(Array(text.utf8))
        case "ip": value = SNMPSettingsReader.isIPAddress(text) ? .ipAddress(text) : nil
        case "object_id": value = .oid(text)
        case "timeticks": value = UInt32(text).map { .timeticks($0) }
        case "counter32": value = UInt32(text).map { .counter32($0) }
        case "gauge32": value = UInt32(text).map { .gauge32($0) }
        default: value = UInt64(text).map { .counter64($0) }
        }
        guard let value else {
            entry.value.error("'\(text)' is not a valid \(entry.key)")
            return nil
        }
        return (oid, value)
    }

    /// The expected fields that differ from `actual`, as "field: expected X, got Y" lines (empty = match).
    /// command_source, config_source and destination are compared only when the fixture gives them.
    public func mismatches(_ actual: TrapClassification) -> [String] {
        var lines: [String] = []
        func compare(_ field: String, _ expected: String?, _ got: String?, always: Bool = true) {
            guard always || expected != nil, expected != got else { return }
            lines.append("\(field): expected \(expected ?? "nothing"), got \(got ?? "nothing")")
        }
        compare("change", String(expected.change), String(actual.change))
        compare("kind", expected.kind?.rawValue, actual.kind?.rawValue)
        compare("user", expected.user, actual.user)
        compare("source", expected.source, actual.source)
        compare("terminal", expected.terminal, actual.terminal)
        compare("rule", expected.rule, actual.rule)
        compare("command_source", expected.commandSource, actual.commandSource, always: false)
        compare("config_source", expected.configSource, actual.configSource, always: false)
        compare("destination", expected.destination, actual.destination, always: false)
        compare("comment", expected.comment, actual.comment, always: false)
        return lines
    }
}
