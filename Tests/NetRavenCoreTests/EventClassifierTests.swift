import Foundation
import NetRavenTestSupport
import Testing

@testable import NetRavenCore

@Suite struct EventClassifierTests {
    static func classifier() throws -> EventClassifier {
        let rules = try RuleBook.load(directory: PackagePaths.rules)
        let devices = [
            Device(name: "r1", host: "10.0.0.1", platform: "cisco_ios", group: "core", credentials: ["lab"]),
            Device(name: "j1", host: "10.0.0.2", platform: "juniper_junos", group: "core", credentials: ["lab"]),
        ]
        var configuration = Configuration(
            settings: AgentSettings(stateDirectory: "/tmp/unused"), devices: devices, credentials: [:], rules: rules)
        configuration.trapRules = try TrapRuleBook.load(directory: PackagePaths.rules)
        let relay = [IPPrefix("192.0.2.50")!]
        return EventClassifier(
            configuration: configuration, syslogResolver: EventSourceResolver(devices: devices, relays: relay),
            trapResolver: EventSourceResolver(devices: devices, relays: []))
    }

    static let at = Date(timeIntervalSince1970: 1_700_000_000)

    func syslog(_ line: String, from peer: String) throws -> EventClassifier.Verdict {
        try Self.classifier().classify(syslog: Array(line.utf8), peer: peer, receivedAt: Self.at, id: "e1")
    }

    @Test func aChangeFromADeviceAddressBecomesAnEventWithUserAndSource() throws {
        let verdict = try syslog(
            "<189>48213: *Nov 21 10:00:00.123: %SYS-5-CONFIG_I: Configured from console by jdoe on vty0 (10.1.1.5)",
            from: "10.0.0.1")
        guard case .change(let event) = verdict else {
            Issue.record("expected a change, got \(verdict)")
            return
        }
        #expect(event.device == "r1")
        #expect(event.user == "jdoe")
        #expect(event.source == "10.1.1.5")
        #expect(event.kind == .syslog)
        #expect(event.change == .committed)
        #expect(event.rule != nil)
        #expect(event.raw?.contains("CONFIG_I") == true)
    }

    @Test func aRelayedMessageResolvesByTheHostnameInside() throws {
        let verdict = try syslog(
            "<189>Nov 21 10:00:01 j1 mgd[1234]: UI_COMMIT: User 'alice' requested 'commit' operation (comment: none)",
            from: "192.0.2.50")
        guard case .change(let event) = verdict else {
            Issue.record("expected a change, got \(verdict)")
            return
        }
        #expect(event.device == "j1")
        #expect(event.user == "alice")
    }

    @Test func strangersRelaysWithoutAKnownHostAndGarbageAreTold() throws {
        #expect(try syslog("<189>Nov 21 10:00:01 r1 x: %SYS-5-CONFIG_I: Configured from console by a on vty0", from: "203.0.113.9") == .rejected)
        #expect(try syslog("<189>Nov 21 10:00:01 nobody mgd[1]: UI_COMMIT: User 'a' requested 'commit' operation", from: "192.0.2.50") == .unresolved(hostname: "nobody"))
        guard case .malformed = try syslog("no priority here", from: "10.0.0.1") else {
            Issue.record("garbage should be malformed")
            return
        }
        guard case .notAChange(device: "r1", _) = try syslog("<189>1: *Nov 21 10:00:00: %LINK-3-UPDOWN: Interface Gi0/1, changed state to up", from: "10.0.0.1") else {
            Issue.record("a link message is not a change")
            return
        }
    }

    @Test func trapsResolveByTheirSenderAndFollowTheTrapRules() throws {
        let classifier = try Self.classifier()
        let prefix = "1.3.6.1.4.1.9.9.43.1.1.6.1"
        let write = ReceivedTrap(
            version: .v2c, peerAddress: "10.0.0.1", trapOID: "1.3.6.1.4.1.9.9.43.2.0.1",
            varbinds: [
                ("\(prefix).3.41", .integer(1)), ("\(prefix).4.41", .integer(2)), ("\(prefix).5.41", .integer(3)),
                ("\(prefix).8.41", .string(Array("alice".utf8))), ("\(prefix).10.41", .ipAddress("192.0.2.10")),
            ])
        guard case .change(let event) = classifier.classify(trap: write, receivedAt: Self.at, id: "t1") else {
            Issue.record("a write to running is a change")
            return
        }
        #expect(event.device == "r1" && event.kind == .trap && event.user == "alice" && event.source == "192.0.2.10")
        var read = write
        read.varbinds = [("\(prefix).3.43", .integer(1)), ("\(prefix).4.43", .integer(3)), ("\(prefix).5.43", .integer(2))]
        guard case .notAChange(device: "r1", _) = classifier.classify(trap: read, receivedAt: Self.at, id: "t2") else {
            Issue.record("show running-config is a read")
            return
        }
        var stranger = write
        stranger.peerAddress = "203.0.113.9"
        #expect(classifier.classify(trap: stranger, receivedAt: Self.at, id: "t3") == .rejected)
    }
}
