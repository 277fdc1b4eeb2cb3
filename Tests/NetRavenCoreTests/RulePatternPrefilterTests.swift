import Testing

@testable import NetRavenCore

/// The literal-prefix shortcut in front of volatile-line patterns must never change a verdict, only skip the regex.
@Suite("Rule pattern literal prefilter")
struct RulePatternPrefilterTests {
    @Test(
        "The plain text after ^ is found, and nothing when a match need not start with it",
        arguments: [
            ("^! Last configuration change at", "! Last configuration change at"),
            ("^ntp clock-period", "ntp clock-period"),
            ("^ab*c", "a"),
            ("^ab?", "a"),
            ("^x{2}", nil),
            (#"^\s*aaa"#, nil),
            ("^a|b", nil),
            ("no anchor", nil),
            ("^(?i)ntp", nil),
        ] as [(String, String?)])
    func prefix(pattern: String, expected: String?) throws {
        let found = try RulePattern(pattern).anchoredLiteralPrefix
        #expect(found.map { String(decoding: $0, as: UTF8.self) } == expected)
        #expect(try RulePattern(pattern, caseInsensitive: true).anchoredLiteralPrefix == nil)
    }

    @Test("The shortcut gives the regex's answer on every line")
    func sameVerdicts() throws {
        let patterns = ["^! Last configuration change at", "^ntp clock-period", "^ab*c", "^x{2}", "^a|b", "end$"]
        let lines = [
            "! Last configuration change at 09:12:44 UTC", "ntp clock-period 17179", " ntp clock-period 1", "ac", "abbc",
            "xx", "b", "nothing here", "", "end", "x\rntp clock-period 1", "x\nntp clock-period", "é ntp clock-period",
            "ntp\u{2028}ntp clock-period",
        ]
        for source in patterns {
            let pattern = try RulePattern(source)
            let prefix = pattern.anchoredLiteralPrefix
            for line in lines {
                #expect(pattern.matches(line: line, prefix: prefix) == pattern.matches(line), "\(source) on \(line)")
            }
        }
    }
}
