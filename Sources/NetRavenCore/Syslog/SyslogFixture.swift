import Foundation

/// Sample syslog lines and what the change rules must make of them: `rules/fixtures/syslog/<vendor>.yaml`.
///
/// One parameterized test runs every case of every file, so adding a vendor's samples is adding a file.
public struct SyslogFixture: Sendable {
    /// What a case expects. `change`, `kind`, `host`, `user`, `source` and `commit` are always checked (absent means
    /// null); `platform`, `comment` and `rule` only when the case gives them.
    public struct Expected: Sendable, Equatable {
        /// The parse error class for a malformed line (`missingPriority`, `binary`...); nil for a valid line.
        public var error: String?
        /// Whether the line reports a change.
        public var change: Bool
        /// What happened, for a change.
        public var kind: ChangeKind?
        /// The reported platform; `.none` when the case does not check it.
        public var platform: String??
        /// The device name or address the message carries.
        public var host: String?
        /// The user the message names.
        public var user: String?
        /// The address, else the line.
        public var source: String?
        /// The device's commit id.
        public var commit: String?
        /// The commit comment; `.none` when the case does not check it.
        public var comment: String??
        /// The deciding rule; `.none` when the case does not check it.
        public var rule: String??
    }

    /// One sample line.
    public struct Case: Sendable {
        /// The line exactly as on the wire (`<PRI>...`).
        public var line: String
        /// Classify as for a device of this platform; nil tries every rule, as `netraven rules test` does.
        public var platform: String?
        /// What the sample shows, for test names.
        public var description: String
        /// What the rules must make of it.
        public var expected: Expected
        /// Where the case is written, for failure messages.
        public var location: SourceLocation
    }

    /// The fixture file.
    public var file: String
    /// Its samples in file order.
    public var cases: [Case]

    static let caseKeys: Set<String> = ["line", "platform", "description", "expect"]
    static let expectKeys: Set<String> = [
        "error", "change", "kind", "platform", "host", "user", "source", "commit", "comment", "rule",
    ]

    /// The fixture files under `rulesDirectory/fixtures/syslog/`, sorted.
    public static func files(rulesDirectory: String) -> [String] {
        let directory = (rulesDirectory as NSString).appendingPathComponent("fixtures/syslog")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
    }

    /// Reads one fixture file.
    /// - Throws: `DiagnosticError` with every problem in the file.
    public static func load(path: String) throws -> SyslogFixture {
        let diagnostics = DiagnosticCollector()
        var cases: [Case] = []
        if let yaml = YAMLFile.load(path: path, diagnostics: diagnostics) {
            if let root = yaml.root {
                let reader = NodeReader(node: root, file: path, diagnostics: diagnostics, path: "")
                for item in reader.mapping(allowed: ["cases"])?.required("cases")?.sequence() ?? [] {
                    if let fixtureCase = readCase(item) { cases.append(fixtureCase) }
                }
            } else {
                diagnostics.add(Diagnostic(file: path, line: 0, column: 0, message: "file is empty"))
            }
        }
        try diagnostics.throwIfAny()
        return SyslogFixture(file: path, cases: cases)
    }

    private static func readCase(_ item: NodeReader) -> Case? {
        guard let map = item.mapping(allowed: caseKeys), let line = map.string("line", required: true),
            let expect = map.required("expect")?.mapping(allowed: expectKeys)
        else { return nil }
        func optional(_ key: String) -> String?? {
            guard let node = expect[key] else { return .none }
            return .some(node.isNull ? nil : node.string())
        }
        var kind: ChangeKind?
        if let text = expect.string("kind") {
            kind = ChangeKind(rawValue: text)
            if kind == nil { expect["kind"]?.error("unknown kind '\(text)'") }
        }
        let expected = Expected(
            error: expect.string("error"),
            change: expect.required("change")?.bool() ?? false,
            kind: kind,
            platform: optional("platform"),
            host: expect.string("host"),
            user: expect.string("user"),
            source: expect.string("source"),
            commit: expect.string("commit"),
            comment: optional("comment"),
            rule: optional("rule"))
        return Case(
            line: line, platform: map.string("platform"), description: map.string("description") ?? "",
            expected: expected, location: item.location)
    }
}
