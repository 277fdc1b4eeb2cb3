import Foundation
import NetRavenTestSupport
import Testing

@testable import NetRavenCore

@Suite struct RuleBookTests {
    @Test func repositoryRulesLoad() throws {
        let book = try RuleBook.load(directory: repositoryRules)
        #expect(Set(book.platforms.keys) == ["cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos"])
        let ios = try #require(book.platforms["cisco_ios"])
        // Inherited from _cisco_like, overridden where cisco_ios sets its own keys.
        #expect(ios.afterLogin == ["terminal length 0", "terminal width 511"])
        #expect(ios.startupCommand == "show startup-config")
        #expect(ios.enable?.command == "enable")
        #expect(ios.secrets.count >= 8)
        #expect(ios.prompt.matches("r1#"))
        #expect(ios.prompt.matches("core-sw1.par>"))
        #expect(!ios.prompt.matches("interface Gi0/1"))
        let eos = try #require(book.platforms["arista_eos"])
        #expect(eos.afterLogin.last == "terminal width 32767")
        let junos = try #require(book.platforms["juniper_junos"])
        #expect(junos.prompt.matches("admin@r4> "))
        #expect(junos.prompt.matches("{master:0}\nadmin@r4>"))
    }

    func problems(platform: String, name: String = "test_os", secrets: String? = nil) throws -> [String] {
        let directory = try TemporaryDirectory()
        try directory.write("platforms/\(name).yaml", platform)
        try directory.write("platforms/_base.yaml", "prompt: '#$'\ncommands:\n  running: show run\n")
        if let secrets { try directory.write("secrets/common.yaml", secrets) }
        do {
            _ = try RuleBook.load(directory: directory.path)
            return []
        } catch let error as DiagnosticError {
            return error.diagnostics.map { "\($0.line):\($0.column) \($0.message)" }
        }
    }

    @Test func reportsUnknownKeysBadRegexesAndMissingKeys() throws {
        let found = try problems(
            platform: """
                prompt: '[unclosed'
                pager:
                  pattern: '--More--'
                  key: ' '
                volatile:
                  - '^ok'
                  - '(bad'
                """)
        #expect(found.contains { $0.hasPrefix("1:9 prompt is not a valid regular expression") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("4:3 unknown key 'key' in pager") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("7:5 volatile[1] is not a valid regular expression") }, "\(found)")
        #expect(found.contains { $0.contains("missing required key 'commands'") }, "\(found)")
    }

    @Test func inheritsAndChecksSecretSets() throws {
        let ok = try problems(
            platform: "inherits: _base\nsecrets:\n  - include: shared\n",
            secrets: "sets:\n  shared:\n    - 'password (?<secret>\\S+)'\n")
        #expect(ok.isEmpty, "\(ok)")
        let bad = try problems(
            platform: "inherits: _base\nsecrets:\n  - include: nothere\n  - pattern: 'key (\\S+)'\n",
            secrets: "sets:\n  shared:\n    - 'password (\\S+)'\n")
        #expect(bad.contains { $0.hasPrefix("3:7 secret pattern must have a (?<secret>...) group") }, "\(bad)")
        #expect(bad.contains { $0.hasPrefix("3:14 unknown secret set 'nothere'") }, "\(bad)")
        #expect(bad.contains { $0.hasPrefix("4:14 secret pattern must have a (?<secret>...) group") }, "\(bad)")
        let cycle = try problems(platform: "inherits: test_os\n")
        #expect(cycle.contains { $0.contains("forms a cycle") }, "\(cycle)")
        let missingParent = try problems(platform: "inherits: _nothere\n")
        #expect(missingParent.contains { $0.hasPrefix("1:11 inherits: no platform file '_nothere.yaml'") }, "\(missingParent)")
    }

    @Test func fileNameAndNameMustAgree() throws {
        let found = try problems(platform: "name: other\ninherits: _base\n")
        #expect(found == ["1:7 name 'other' differs from the file name 'test_os'"])
    }
}
