import Foundation
import Testing

@testable import NetRavenCore

/// The literal prefilter must never change what a pattern matches: every pattern in `rules/` and a set of tricky
/// ones give the same answer as NSRegularExpression itself on lines that do and do not contain their literal.
@Suite struct RulePatternRequiredLiteralTests {
    @Test(arguments: [
        ("^ntp clock-period", "ntp clock-period"),
        ("^% Invalid input detected", "% Invalid input detected"),
        ("^end\\s*$", "end"),
        ("-+\\s*[Mm]ore\\s*-+", "-"),
        ("ab*c", "a"),
        ("ab?c", "a"),
        ("ab{0,2}c", "a"),
        ("a\\.b\\(c", "a.b(c"),
        ("^\\d+ x", ""),
        ("^a|b", ""),
        ("x(?:a|b)", "x"),
        ("[|]ab", ""),
        ("(?i)abc", ""),
        ("^Cisco (?<value>IOS(?:[ -]XE)?) Software", "Cisco "),
    ])
    func requiredLiteral(pattern: String, literal: String) {
        #expect(RulePattern.requiredLiteral(of: pattern, caseInsensitive: false) == Array(literal.utf8))
    }

    @Test func caseInsensitivePatternsHaveNoLiteral() throws {
        #expect(RulePattern.requiredLiteral(of: "abc", caseInsensitive: true).isEmpty)
        #expect(try RulePattern("abc", caseInsensitive: true).requiredBytes.isEmpty)
    }

    /// Secret patterns start with `^\s*`, so they have no leading literal; the longest literal they require anywhere
    /// keeps most lines of a configuration away from ICU when masking is on.
    @Test(arguments: [
        ("^\\s*enable (?:secret|password)(?: level \\d+)? (?<secret>\\S+)", "enable "),
        ("^\\s*snmp-server community (?<secret>\\S+)", "snmp-server community "),
        ("^\\s*key-string(?: \\d+)? (?<secret>\\S+)", "key-string"),
        ("^ntp clock-period", "ntp clock-period"),
        ("^\\s*(?:password|secret)(?: \\d+)? (?<secret>\\S+)", ""),
    ])
    func requiredBytesAreTheLongerLiteral(pattern: String, literal: String) throws {
        #expect(try RulePattern(pattern).requiredBytes == Array(literal.utf8))
    }

    static let subjects = [
        "", "end", "end  ", "!end", "x\nend", "ntp clock-period 17179865", "ntp clock-perio", " ntp clock-period 1",
        "% Invalid input detected at '^' marker.", "r1#", " --More-- ", "--more--", "ac", "abc", "abbc", "abbbc",
        "a.b(c", "a.b(", "12 x", "b", "xa", "xb", "ABC", "Cisco IOS Software, ISR", "Cisco IOS-XE Software",
        "e\u{301}nd", "caf\u{E9} end", "\u{1F600} ntp clock-period", "hostname r1\n% Incomplete command\n",
        " enable secret 9 $9$abc", "enable password x", "username bob privilege 15 secret 9 $9$x",
        "snmp-server community public RO", "  key-string 7 0822455D0A16", "description enable secret",
    ]

    static let tricky = [
        "ab*c", "ab?c", "ab{0,2}c", "a\\.b\\(c", "^\\d+ x", "^a|b", "x(?:a|b)", "[|]ab", "(?i)abc", "^end\\s*$",
        "-+\\s*[Mm]ore\\s*-+", "^Cisco (?<value>IOS(?:[ -]XE)?) Software", "^e\\u0301nd", "\\Qa.b\\E",
    ]

    @Test func matchesLikeTheRegularExpressionForEveryRulePattern() throws {
        let book = try RuleBook.load(directory: repositoryRules)
        var sources = Self.tricky
        for platform in book.platforms.values {
            sources += [platform.prompt.source] + platform.trimHead.map(\.source) + platform.trimTail.map(\.source)
                + platform.volatile.map(\.source) + platform.errors.map(\.source) + platform.secrets.map(\.source)
                + (platform.pager.map { [$0.pattern.source] } ?? []) + (platform.endMarker.map { [$0.source] } ?? [])
        }
        #expect(sources.count > Self.tricky.count + 20)
        for source in sources {
            let pattern = try RulePattern(source)
            let regex = try NSRegularExpression(pattern: source, options: [.anchorsMatchLines])
            // Each subject, and each subject with the pattern's own literal inserted (so both paths run).
            let literal = String(decoding: pattern.requiredBytes, as: UTF8.self)
            for subject in Self.subjects + Self.subjects.map({ literal + $0 }) + Self.subjects.map({ $0 + literal }) {
                let expected = regex.firstMatch(in: subject, range: NSRange(subject.startIndex..., in: subject)) != nil
                #expect(pattern.matches(subject) == expected, "/\(source)/ on \(subject.debugDescription)")
                #expect((pattern.firstMatch(in: subject) != nil) == expected, "first match of /\(source)/")
            }
        }
    }
}
