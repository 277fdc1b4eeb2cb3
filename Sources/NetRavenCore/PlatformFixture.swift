import Foundation
import Yams

/// One recorded session with a device and what NetRaven must make of it: `rules/fixtures/<platform>/<case>.yaml`.
///
/// Platforms are data, and so are their tests: adding a platform means adding its rules file and a few recordings,
/// which one parameterized test replays (the idea of Oxidized's `spec/model/data/<model>#<desc>#simulation.yaml`).
/// It lives here rather than in a test target so that rule tooling can validate recordings with file:line errors.
public struct PlatformFixture: Sendable {
    /// One step of the recorded session: what was typed, then everything the device printed in answer.
    public struct Exchange: Sendable {
        /// What the conversation must write to get `output`: a command (written with a newline), a bare key
        /// (a pager's space, written as is), or nothing for the login banner and first prompt.
        public enum Input: Sendable, Equatable {
            case none
            case command(String)
            case key(String)

            /// The exact text the conversation must write.
            public var written: String? {
                switch self {
                case .none: nil
                case .command(let command): command + "\n"
                case .key(let key): key
                }
            }
        }

        public var input: Input
        /// The bytes the device printed, line ends as CR LF.
        public var output: [UInt8]
        /// Where the exchange is written, for mismatch messages.
        public var location: SourceLocation
    }

    /// The platform, from the directory the file is in.
    public var platform: String
    /// The case name, from the file name.
    public var name: String
    public var file: String
    public var description: String
    /// The enable secret the credential set provides, if any.
    public var enableSecret: String?
    public var maskSecrets: Bool
    public var session: [Exchange]
    /// The stored text after normalization; nil when the capture must fail.
    public var expectedConfig: String?
    public var expectedFacts: DeviceFacts
    /// Strings that must not survive masking (or must survive when masking is off).
    public var secrets: [String]
    /// The failure class the capture must end with.
    public var expectedError: CaptureError.Code?

    /// The failure classes a recording can expect, by the names fixtures use.
    public static let errorNames: [String: CaptureError.Code] = [
        "truncatedOutput": .truncatedOutput, "commandRejected": .commandRejected,
        "promptNotFound": .promptNotFound, "authenticationFailed": .authenticationFailed,
        "timeout": .timeout, "connectionLost": .connectionLost,
    ]

    static let keys: Set<String> = [
        "description", "enable_secret", "mask_secrets", "session", "expected_config", "expected_facts", "secrets",
        "expect_error",
    ]

    /// Reads a fixture; the platform is the name of the directory the file is in.
    /// - Throws: `DiagnosticError` with every problem in the file.
    public static func load(path: String) throws -> PlatformFixture {
        let diagnostics = DiagnosticCollector()
        let fixture = load(path: path, diagnostics: diagnostics)
        try diagnostics.throwIfAny()
        guard let fixture else { throw DiagnosticError([Diagnostic(file: path, line: 0, column: 0, message: "unreadable")]) }
        return fixture
    }

    /// The fixture files under `rulesDirectory/fixtures/<platform>/`, sorted.
    public static func files(rulesDirectory: String) -> [String] {
        let root = (rulesDirectory as NSString).appendingPathComponent("fixtures")
        let manager = FileManager.default
        var files: [String] = []
        // traps/ and syslog/ hold event fixtures, sensitive/ verdict cases: not platform recordings.
        for platform in ((try? manager.contentsOfDirectory(atPath: root)) ?? []).sorted()
        where !["traps", "syslog", "sensitive"].contains(platform) {
            let directory = (root as NSString).appendingPathComponent(platform)
            for name in ((try? manager.contentsOfDirectory(atPath: directory)) ?? []).sorted()
            where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                files.append((directory as NSString).appendingPathComponent(name))
            }
        }
        return files
    }

    static func load(path: String, diagnostics: DiagnosticCollector) -> PlatformFixture? {
        guard let yaml = YAMLFile.load(path: path, diagnostics: diagnostics) else { return nil }
        guard let root = yaml.root else {
            diagnostics.add(Diagnostic(file: path, line: 0, column: 0, message: "file is empty"))
            return nil
        }
        let reader = NodeReader(node: root, file: path, diagnostics: diagnostics, path: "")
        guard let top = reader.mapping(allowed: keys) else { return nil }

        let description = top.string("description", required: true) ?? ""
        let enableSecret = top.string("enable_secret")
        let maskSecrets = top.required("mask_secrets")?.bool() ?? false
        var session: [Exchange] = []
        for (index, item) in (top.required("session")?.sequence() ?? []).enumerated() {
            if let exchange = readExchange(item, first: index == 0) { session.append(exchange) }
        }
        if top.has("session") && session.isEmpty {
            top.reader.error("session must have at least the login exchange")
        }
        let expectedConfig = top.string("expected_config")
        var facts = DeviceFacts()
        if let node = top["expected_facts"], let map = node.mapping(allowed: Set(DeviceFacts.Field.allCases.map(\.rawValue))) {
            for field in DeviceFacts.Field.allCases { facts[field] = map.string(field.rawValue) }
        }
        let secrets = top["secrets"]?.stringList() ?? []
        var expectedError: CaptureError.Code?
        if let node = top["expect_error"], let name = node.string() {
            expectedError = errorNames[name]
            if expectedError == nil {
                node.error("unknown error class '\(name)' (known: \(errorNames.keys.sorted().joined(separator: ", ")))")
            }
        }
        if top.has("expect_error") == top.has("expected_config") {
            top.reader.error("a fixture has exactly one of expected_config (a capture that succeeds) and expect_error")
        }
        if !secrets.isEmpty && expectedConfig == nil {
            top["secrets"]?.error("secrets are checked against expected_config; this fixture has none")
        }

        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let platform = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
        return PlatformFixture(
            platform: platform, name: name, file: path, description: description, enableSecret: enableSecret,
            maskSecrets: maskSecrets, session: session, expectedConfig: expectedConfig, expectedFacts: facts,
            secrets: secrets, expectedError: expectedError)
    }

    private static func readExchange(_ item: NodeReader, first: Bool) -> Exchange? {
        guard let map = item.mapping(allowed: ["send", "key", "output"]) else { return nil }
        var input = Exchange.Input.none
        switch (map["send"], map["key"]) {
        case (let send?, nil): input = send.string().map { .command($0) } ?? .none
        case (nil, let key?): input = key.string().map { .key($0) } ?? .none
        case (_?, _?): item.error("an exchange has send (a command and Enter) or key (a keystroke), not both")
        case (nil, nil):
            if !first { item.error("only the first exchange (the login banner) has neither send nor key") }
        }
        if first && input != .none {
            item.error("the first exchange is what the device prints after login: it has no send or key")
        }
        var parts: [String] = []
        if let output = map.required("output") {
            if case .sequence = output.node {
                parts = output.stringList() ?? []
            } else if let text = output.string() {
                parts = [text]
            }
        }
        return Exchange(input: input, output: terminalBytes(parts.joined()), location: item.location)
    }

    /// `text` as a device sends it: a newline not already preceded by a carriage return becomes CR LF, so
    /// recordings can be written as plain YAML text.
    static func terminalBytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            if byte == 0x0A && bytes.last != 0x0D { bytes.append(0x0D) }
            bytes.append(byte)
        }
        return bytes
    }
}
