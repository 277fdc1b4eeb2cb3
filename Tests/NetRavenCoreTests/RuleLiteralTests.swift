import Foundation
import NetRavenCore
import NetRavenTestSupport
import Testing

/// The literal prefilter of the syslog change rules: derived conservatively from each pattern, and never absent
/// from a line the pattern matches.
struct RuleLiteralTests {
    static func literal(_ pattern: String) -> String? {
        RuleLiteral(pattern: pattern).map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    @Test func theLongestTopLevelRunIsRequired() {
        #expect(Self.literal(#"%SYS-5-CONFIG_I: Configured from \S+ by (?:(?<user>\S+) on )?"#)
            == "%SYS-5-CONFIG_I: Configured from ")
        #expect(Self.literal(#"%(?:ARCHIVE_DIFF-5-ROLLBK_CNFMRPLC|PARSER-6-CONFIGREPLACE\w*)"#) == nil)
        #expect(Self.literal(#"UI_COMMIT(?:_COMPLETED)?: User '(?<user>[^']+)'"#) == "UI_COMMIT")
        #expect(Self.literal(#"(?i:cli)\.log(?:Remote|Local)Cmd>?.*?[Cc]ommand"#) == "ommand")
        #expect(Self.literal(#"logid=\"?0100044547"#) == "0100044547")
        #expect(Self.literal(#"abcd?e"#) == "abc")
        #expect(Self.literal(#"abc+de"#) == "abc")
        #expect(Self.literal(#"ab{2}cdef"#) == "cdef")
    }

    @Test func unsurePatternsHaveNoLiteral() {
        #expect(Self.literal("CONFIG_I|UI_COMMIT") == nil, "a top-level alternation")
        #expect(Self.literal("(?i)ui_commit: user") == nil, "an inline flag changes the rest")
        #expect(Self.literal(#"\x41BCDEF"#) == nil, "an escape spanning several characters")
        #expect(RuleLiteral(pattern: "UI_COMMIT", caseInsensitive: true) == nil)
        #expect(Self.literal("ab") == nil, "too short to filter")
    }

    @Test func isContainedSearchesBytes() throws {
        let literal = try #require(RuleLiteral(pattern: "CONFIG_I"))
        #expect(literal.isContained(in: "<189>1: %SYS-5-CONFIG_I: Configured"))
        #expect(!literal.isContained(in: "<189>1: %SYS-5-CONFIG_E: Enter"))
        #expect(!literal.isContained(in: "CONFIG_"))
        #expect(literal.isContained(in: "CONFIG_I"))
    }

    /// Every rule's literal is in every fixture line its pattern matches (the prefilter never hides a match).
    @Test func noFixtureLineMatchedByARuleLacksItsLiteral() throws {
        let book = try SyslogRuleBook.load(directory: PackagePaths.rules)
        var checked = 0
        for file in SyslogFixture.files(rulesDirectory: PackagePaths.rules) {
            for fixtureCase in try SyslogFixture.load(path: file).cases {
                guard let message = try? SyslogMessage.parse(Array(fixtureCase.line.utf8)) else { continue }
                for rule in book.rules where rule.pattern.matches(message.ruleText) {
                    if let literal = RuleLiteral(pattern: rule.pattern.source, caseInsensitive: rule.pattern.isCaseInsensitive) {
                        #expect(literal.isContained(in: message.ruleText), "\(rule.id): \(fixtureCase.line)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 50, "most rules have a literal")
    }
}
