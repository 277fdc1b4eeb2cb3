import Foundation
import NetRavenCore
import NetRavenSSH
import NetRavenTestSupport
import Testing

let repositoryRules = PackagePaths.rules

/// One `rules/fixtures/<platform>/<case>.yaml`, named `<platform>/<case>` in test results.
struct FixtureFile: Sendable, CustomTestStringConvertible {
    let path: String
    var testDescription: String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().lastPathComponent + "/" + url.deletingPathExtension().lastPathComponent
    }
}

/// Every recorded session in the repository.
func allFixtures() -> [FixtureFile] {
    PlatformFixture.files(rulesDirectory: repositoryRules).map(FixtureFile.init)
}

/// Replays every recorded session through the real conversation and normalizer. Adding a platform or a case is adding
/// files under rules/: this suite does not change.
@Suite struct PlatformFixtureTests {
    let book: RuleBook

    init() throws {
        book = try RuleBook.load(directory: repositoryRules)
    }

    /// What a capture produced: the stored text and the facts.
    struct Capture {
        var config: String
        var facts: DeviceFacts
    }

    /// The capture as the collector does it: log in, enter enable, page off; the running configuration, normalized
    /// (refused when truncated, before anything else is asked); then the fact commands in order.
    func capture(_ fixture: PlatformFixture, platform: PlatformRules, channel: ReplayChannel) throws -> Capture {
        var conversation = DeviceConversation(
            platform: platform, channel: channel, commandTimeout: .milliseconds(300),
            deadline: .now + .seconds(20))
        try conversation.start(enableSecret: fixture.enableSecret.map(Secret.init))
        let output = try conversation.run(platform.runningCommand)
        let config: String
        do {
            config = try ConfigNormalizer(platform: platform, maskSecrets: fixture.maskSecrets).normalize(output)
        } catch let truncated as ConfigNormalizer.Truncated {
            throw CaptureError(.truncatedOutput, truncated.description)
        }
        var facts = DeviceFacts()
        for command in platform.facts {
            command.extract(from: try conversation.run(command.command), into: &facts)
        }
        return Capture(config: config, facts: facts)
    }

    @Test(arguments: allFixtures())
    func replay(_ file: FixtureFile) throws {
        let fixture = try PlatformFixture.load(path: file.path)
        let platform = try #require(
            book.platforms[fixture.platform], "\(file.path): no rules/platforms/\(fixture.platform).yaml")
        let channel = ReplayChannel(fixture)
        let result = Result { try capture(fixture, platform: platform, channel: channel) }
        if let leftover = channel.leftover, (try? result.get()) != nil || fixture.expectedError != nil {
            Issue.record("\(file.path): \(leftover)")
        }

        switch (result, fixture.expectedError) {
        case (.failure(let mismatch as ReplayChannel.Mismatch), _):
            Issue.record("\(file.path): \(mismatch)")
        case (.failure(let error), let expected?):
            let code = (error as? CaptureError)?.code
            #expect(code == expected, "\(file.path): expected \(expected), got \(error)")
        case (.failure(let error), nil):
            Issue.record("\(file.path): the capture failed: \(error)")
        case (.success, let expected?):
            Issue.record("\(file.path): the capture succeeded; the recording expects \(expected)")
        case (.success(let capture), nil):
            check(capture, against: fixture)
        }
    }

    func check(_ capture: Capture, against fixture: PlatformFixture) {
        if let expected = fixture.expectedConfig, capture.config != expected {
            let difference = firstDifference(capture.config, expected)
            Issue.record("\(fixture.file): stored configuration differs from expected_config: \(difference)")
        }
        #expect(capture.facts == fixture.expectedFacts, "\(fixture.file): facts")
        for secret in fixture.secrets {
            if fixture.maskSecrets {
                #expect(!capture.config.contains(secret), "\(fixture.file): secret '\(secret)' survived masking")
            } else {
                #expect(capture.config.contains(secret), "\(fixture.file): '\(secret)' was lost with masking off")
            }
        }
    }

    /// Every platform is recorded at least twice: a capture that succeeds with masking on, and one that fails.
    /// A platform with secret patterns also has a success with masking off, so over-eager patterns show.
    @Test func everyPlatformHasFixtures() throws {
        let fixtures = try allFixtures().map { try PlatformFixture.load(path: $0.path) }
        for (name, platform) in book.platforms.sorted(by: { $0.key < $1.key }) {
            let own = fixtures.filter { $0.platform == name }
            #expect(own.count >= 2, "\(name): \(own.count) fixture(s) in rules/fixtures/\(name)/")
            #expect(own.contains { $0.expectedError == nil && $0.maskSecrets && (platform.secrets.isEmpty || !$0.secrets.isEmpty) },
                "\(name): no successful capture with mask_secrets: true (and secrets to check)")
            #expect(own.contains { $0.expectedError != nil }, "\(name): no failing capture (expect_error)")
            if !platform.secrets.isEmpty {
                #expect(own.contains { $0.expectedError == nil && !$0.maskSecrets && !$0.secrets.isEmpty },
                    "\(name): no successful capture with mask_secrets: false and secrets that must survive")
            }
        }
        for fixture in fixtures {
            #expect(book.platforms[fixture.platform] != nil, "\(fixture.file): no platform '\(fixture.platform)'")
        }
    }

    @Test func replayReportsWhichCommandWasExpected() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("netraven-\(UUID().uuidString)")
            .appendingPathComponent("cisco_ios")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let file = directory.appendingPathComponent("wrong.yaml").path
        try """
            description: the recording expects another command
            mask_secrets: true
            session:
              - output: "r1#"
              - send: terminal length 0
                output: "terminal length 0\\nr1#"
            expect_error: promptNotFound
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let channel = ReplayChannel(try PlatformFixture.load(path: file))
        #expect(try channel.read(timeout: .seconds(1)) == Array("r1#".utf8))
        let error = #expect(throws: ReplayChannel.Mismatch.self) { try channel.write("show version\n") }
        #expect(error?.description == "\(file):5:5: the recording expects 'terminal length 0\\n' "
            + "but the conversation wrote 'show version\\n'")
    }
}

/// Where two texts first differ, line by line, for a readable failure.
func firstDifference(_ actual: String, _ expected: String) -> String {
    let got = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
    for index in 0..<max(got.count, want.count) {
        let a = index < got.count ? String(got[index]) : "(end)"
        let b = index < want.count ? String(want[index]) : "(end)"
        if a != b { return "line \(index + 1): got '\(a)', expected '\(b)'" }
    }
    return "(same lines; trailing newline differs)"
}
