import Foundation
import Logging
import Testing

@testable import NetRavenCore

@Suite struct PathTemplateTests {
    let device = Device(name: "r1", host: "h", platform: "cisco_ios", group: "core", site: "par1", region: "emea")

    @Test func rendersDefaultAndRegionalLayouts() throws {
        #expect(try PathTemplate.default.path(for: device) == "core/r1.cfg")
        #expect(try PathTemplate("{region}/{site}/{name}.cfg").path(for: device) == "emea/par1/r1.cfg")
    }

    @Test(arguments: ["../x", "/etc/x", "..", ".", "a/b", ".git", "a\\b", "bad\u{1}"])
    func refusesNamesThatEscape(name: String) {
        var bad = device
        bad.name = name
        #expect(throws: PathTemplate.Invalid.self) { try PathTemplate.default.path(for: bad) }
    }

    @Test func refusesBadTemplates() {
        #expect(throws: PathTemplate.Invalid.self) { try PathTemplate("{group}/static.cfg") }
        #expect(throws: PathTemplate.Invalid.self) { try PathTemplate("/abs/{name}") }
        #expect(throws: PathTemplate.Invalid.self) { try PathTemplate("{nam}/{name}") }
        #expect(throws: PathTemplate.Invalid.self) { try PathTemplate("{name") }
    }

    @Test func missingValueIsAnError() {
        var noSite = device
        noSite.site = nil
        #expect(throws: PathTemplate.Invalid.self) { try PathTemplate("{site}/{name}.cfg").path(for: noSite) }
    }
}

@Suite struct BackoffTests {
    @Test func growsExponentiallyUpToTheCap() {
        let backoff = Backoff(initial: .seconds(1), maximum: .seconds(10), multiplier: 2, jitter: 0.2)
        #expect(backoff.delay(attempt: 1, unit: 0.5) == .seconds(1))
        #expect(backoff.delay(attempt: 2, unit: 0.5) == .seconds(2))
        #expect(backoff.delay(attempt: 3, unit: 0.5) == .seconds(4))
        #expect(backoff.delay(attempt: 5, unit: 0.5) == .seconds(10))
        #expect(backoff.delay(attempt: 9, unit: 0.5) == .seconds(10))
    }

    @Test func jitterSpreadsWithinItsFraction() {
        let backoff = Backoff(initial: .seconds(10), maximum: .seconds(60), multiplier: 2, jitter: 0.2)
        #expect(backoff.delay(attempt: 1, unit: 0) == .seconds(8))
        #expect(backoff.delay(attempt: 1, unit: 1) == .seconds(12))
    }

    @Test func onlyNetworkFailuresAreTransient() {
        #expect(CaptureError.Code.timeout.isTransient)
        #expect(CaptureError.Code.unreachable.isTransient)
        #expect(CaptureError.Code.connectionLost.isTransient)
        #expect(!CaptureError.Code.authenticationFailed.isTransient)
        #expect(!CaptureError.Code.hostKeyChanged.isTransient)
        #expect(!CaptureError.Code.truncatedOutput.isTransient)
    }

    @Test func durationsParse() {
        #expect(NodeReader.parseDuration("30s") == .seconds(30))
        #expect(NodeReader.parseDuration("500ms") == .milliseconds(500))
        #expect(NodeReader.parseDuration("5m") == .seconds(300))
        #expect(NodeReader.parseDuration("1.5") == .milliseconds(1500))
        #expect(NodeReader.parseDuration("soon") == nil)
        #expect(NodeReader.parseDuration("-1s") == nil)
    }
}

@Suite struct CommitMessageTests {
    @Test func carriesEventsAndTrailers() {
        let event = ChangeEvent(
            id: "ev-1", kind: .syslog, device: "r1", user: "jdoe", source: "10.1.1.5",
            time: Date(timeIntervalSince1970: 1_800_000_000),
            raw: "%SYS-5-CONFIG_I: Configured from console by jdoe on vty0 (10.1.1.5)\nsecond line")
        let text = CommitMessage(device: "r1", trigger: .syslog, jobID: "job-9", events: [event]).text
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "r1: configuration changed (syslog by jdoe)")
        #expect(text.contains("  %SYS-5-CONFIG_I: Configured from console by jdoe on vty0 (10.1.1.5) second line"))
        #expect(text.hasSuffix("Trigger: syslog\nDevice: r1\nEvent-Id: ev-1\nChanged-By: jdoe\nChanged-From: 10.1.1.5\nJob-Id: job-9\n"))
    }

    @Test func verdictAndCommentGoIntoTheMessage() {
        let event = ChangeEvent(
            id: "ev-2", kind: .syslog, device: "r1", user: "jdoe", time: Date(timeIntervalSince1970: 1_800_000_000),
            comment: "CHG123 new\nuplink")
        let verdict = ChangeVerdict(
            kind: .unexpected,
            reasons: [.init(code: "outside-window", detail: "made at X, outside every change window (night)"),
                      .init(code: "sensitive-lines", detail: "sensitive lines changed: snmp")],
            severity: .critical)
        let text = CommitMessage(device: "r1", trigger: .syslog, jobID: "j", events: [event], verdict: verdict).text
        #expect(text.contains(" user=jdoe comment=\"CHG123 new uplink\"\n"))
        #expect(text.hasSuffix(
            "Job-Id: j\nVerdict: unexpected\nVerdict-Reason: outside-window: made at X, outside every change window "
                + "(night)\nVerdict-Reason: sensitive-lines: sensitive lines changed: snmp\n"))
    }

    @Test func sweepWithoutEventsSaysSo() {
        let text = CommitMessage(device: "r2", trigger: .sweep, jobID: "j").text
        #expect(text.hasPrefix("r2: configuration changed (sweep)\n\nFound by a scheduled sweep"))
        #expect(!text.contains("Changed-By"))
        let first = CommitMessage(device: "r2", trigger: .sweep, jobID: "j", isFirstCapture: true).text
        #expect(first.hasPrefix("r2: first capture (sweep)\n\nFirst version of this device in the archive.\n"))
    }
}

@Suite struct JSONLogHandlerTests {
    @Test func writesOneRedactedJSONObjectPerLine() throws {
        _ = Secret("p4ssw0rd-in-a-log")
        let line = JSONLogHandler.line(
            level: .warning, message: "auth with p4ssw0rd-in-a-log failed \"quoted\"",
            metadata: ["device": "r1", "job": "j-1", "attempt": "2"], label: "netraven", date: Date(timeIntervalSince1970: 0))
        #expect(line.hasSuffix("\n"))
        #expect(!line.contains("p4ssw0rd-in-a-log"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["level"] == "warning")
        #expect(object["message"] == "auth with <redacted> failed \"quoted\"")
        #expect(object["job"] == "j-1")
        #expect(object["device"] == "r1")
        #expect(object["attempt"] == "2")
        #expect(object["time"] == "1970-01-01T00:00:00.000Z")
        // Stable key order: time, level, message, job, device, then the rest.
        #expect(line.hasPrefix("{\"time\":\"1970-01-01T00:00:00.000Z\",\"level\":\"warning\",\"message\":"))
    }
}
