import Foundation
import NetRavenCore
import Testing

/// One sample line of `rules/fixtures/syslog/<vendor>.yaml`, named `<vendor>:<line>` in test results.
struct SyslogSample: Sendable, CustomTestStringConvertible {
    let fixtureCase: SyslogFixture.Case
    var testDescription: String {
        let vendor = URL(fileURLWithPath: fixtureCase.location.file).deletingPathExtension().lastPathComponent
        return "\(vendor):\(fixtureCase.location.line) \(fixtureCase.description)"
    }
}

/// Every sample line of every vendor; a file that does not load fails `everyFixtureFileLoads`.
func allSyslogSamples() -> [SyslogSample] {
    SyslogFixture.files(rulesDirectory: repositoryRules).flatMap { file in
        ((try? SyslogFixture.load(path: file))?.cases ?? []).map(SyslogSample.init)
    }
}

/// Runs the repository's syslog samples through the parser and the repository's rules. Adding a vendor or a sample is
/// adding lines under rules/: this suite does not change.
@Suite struct SyslogFixtureTests {
    static let book: SyslogRuleBook? = try? SyslogRuleBook.load(directory: repositoryRules)

    @Test func everyFixtureFileLoads() throws {
        let files = SyslogFixture.files(rulesDirectory: repositoryRules)
        #expect(files.count >= 17, "one fixture file per vendor file")
        for file in files {
            let fixture = try SyslogFixture.load(path: file)
            #expect(fixture.cases.contains { $0.expected.change }, "\(file) needs a positive sample")
            #expect(fixture.cases.contains { !$0.expected.change }, "\(file) needs a negative sample")
        }
    }

    @Test func everyVendorRuleFileHasFixtures() throws {
        let rules = try FileManager.default.contentsOfDirectory(atPath: repositoryRules + "/syslog").sorted()
        let fixtures = try FileManager.default.contentsOfDirectory(atPath: repositoryRules + "/fixtures/syslog")
            .sorted()
        #expect(rules == fixtures)
    }

    @Test(arguments: allSyslogSamples())
    func sample(_ sample: SyslogSample) throws {
        let book = try #require(Self.book, "rules/syslog must load")
        let fixtureCase = sample.fixtureCase
        let expected = fixtureCase.expected
        let at = Comment(rawValue: "\(fixtureCase.location): \(fixtureCase.line)")
        let message: SyslogMessage
        do {
            message = try SyslogMessage.parse(Array(fixtureCase.line.utf8))
        } catch {
            #expect(expected.error == error.code.description, at)
            #expect(!expected.change, at)
            return
        }
        #expect(expected.error == nil, "\(at) parsed, but the sample expects \(expected.error ?? "")")
        let result = book.classify(message, platform: fixtureCase.platform)
        #expect(result.change == expected.change, at)
        #expect(result.kind == expected.kind, at)
        #expect(result.host == expected.host, at)
        #expect(result.user == expected.user, at)
        #expect(result.source == expected.source, at)
        #expect(result.commit == expected.commit, at)
        if case .some(let platform) = expected.platform { #expect(result.platform == platform, at) }
        if case .some(let comment) = expected.comment { #expect(result.comment == comment, at) }
        if case .some(let rule) = expected.rule { #expect(result.rule == rule, at) }
    }
}
