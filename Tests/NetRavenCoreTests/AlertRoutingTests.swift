import Foundation
import NetRavenCore
import Testing

/// Routes, failure streaks and the per-destination batcher, driven with explicit dates and a manual clock.
@Suite struct AlertRoutingTests {
    static let core = Device(name: "core1", host: "10.0.0.1", platform: "cisco_ios", group: "core", tags: ["dc1"])
    static let edge = Device(name: "edge1", host: "10.0.0.2", platform: "cisco_ios", group: "edge", tags: ["branch"])
    static let time = Date(timeIntervalSince1970: 1_750_000_000)

    static func change(_ device: Device, _ kind: ChangeVerdict.Kind, _ severity: AlertSeverity = .warning) -> Alert {
        let verdict = ChangeVerdict(
            kind: kind, reasons: [.init(code: kind == .unexpected ? "no-event" : "allowed-user", detail: "test")],
            severity: severity)
        return Alert.change(device: device, verdict: verdict, events: [], commit: "abc", diff: "+x", time: time)
    }

    static let routes = [
        AlertRoute(
            name: "core-pager", verdicts: [.unexpected], groups: ["core"], minimumSeverity: .critical,
            destinations: ["pager"], continueMatching: false),
        AlertRoute(name: "unexpected", verdicts: [.unexpected], destinations: ["slack", "mail"]),
        AlertRoute(
            name: "reachability", failures: [.unreachable: .init(after: 3, recovery: true), .hostKeyChanged: .init()],
            destinations: ["slack"]),
        AlertRoute(name: "branch-audit", tags: ["branch"], destinations: ["audit"]),
    ]

    @Test func routesMatchVerdictGroupTagsAndSeverity() {
        let router = AlertRouter(routes: Self.routes)
        // Critical unexpected on core: the pager route matches and stops matching.
        #expect(router.destinations(for: Self.change(Self.core, .unexpected, .critical)) == ["pager"])
        // Below the pager's minimum: falls through to the general route.
        #expect(router.destinations(for: Self.change(Self.core, .unexpected, .warning)) == ["slack", "mail"])
        // Edge: the general route and the catch-all tag route.
        #expect(router.destinations(for: Self.change(Self.edge, .unexpected)) == ["slack", "mail", "audit"])
        // Expected changes: only catch-all routes.
        #expect(router.destinations(for: Self.change(Self.core, .expected)) == [])
        #expect(router.destinations(for: Self.change(Self.edge, .expected)) == ["audit"])
    }

    @Test func unreachableFiresOnceAtTheThresholdAndOnRecovery() {
        let router = AlertRouter(routes: [Self.routes[2]])
        var streak = FailureStreak()
        var sent: [String] = []
        for sweep in 1...5 {
            guard case .failing(let failure, let count) = streak.recordFailure(.unreachable, subject: "core1") else {
                Issue.record("sweep \(sweep) did not count")
                continue
            }
            let alert = Alert.failure(failure, device: Self.core, count: count, detail: "timeout", time: Self.time)
            if !router.destinations(for: alert).isEmpty { sent.append("failure \(count)") }
        }
        for outcome in streak.recordSuccess(subject: "core1") {
            guard case .recovered(let failure, let count) = outcome else { continue }
            let alert = Alert.recovery(failure, device: Self.core, count: count, time: Self.time)
            if !router.destinations(for: alert).isEmpty { sent.append("recovered after \(count)") }
        }
        #expect(sent == ["failure 3", "recovered after 5"])
        #expect(streak.count(.unreachable, subject: "core1") == 0)

        // A short streak (2 < 3) neither fires nor tells a recovery.
        _ = streak.recordFailure(.unreachable, subject: "core1")
        _ = streak.recordFailure(.unreachable, subject: "core1")
        let ended = streak.recordSuccess(subject: "core1")
        #expect(ended == [.recovered(.unreachable, count: 2)])
        let shortRecovery = Alert.recovery(.unreachable, device: Self.core, count: 2, time: Self.time)
        #expect(router.destinations(for: shortRecovery).isEmpty)
    }

    @Test func streaksAreKeptPerSubjectAndClass() {
        var streak = FailureStreak()
        _ = streak.recordFailure(.unreachable, subject: "a")
        _ = streak.recordFailure(.authenticationFailed, subject: "a")
        #expect(streak.recordFailure(.unreachable, subject: "b") == .failing(.unreachable, count: 1))
        #expect(streak.recordFailure(.unreachable, subject: "a") == .failing(.unreachable, count: 2))
        // An upload that went out ends only the outbox class.
        #expect(streak.recordSuccess(subject: "a", classes: [.outboxStuck]).isEmpty)
        #expect(streak.count(.unreachable, subject: "a") == 2)
        #expect(Set(streak.recordSuccess(subject: "a").map { "\($0)" }).count == 2)
        streak.forget(subject: "b")
        #expect(streak.count(.unreachable, subject: "b") == 0)
    }

    @Test func catchAllRouteTakesTheFirstFailureOnlyAndNoRecoveries() {
        let route = AlertRoute(name: "all", destinations: ["log"])
        #expect(route.matches(Alert.failure(.hostKeyChanged, device: Self.core, count: 1, detail: "", time: Self.time)))
        #expect(
            !route.matches(Alert.failure(.hostKeyChanged, device: Self.core, count: 2, detail: "", time: Self.time)))
        #expect(!route.matches(Alert.recovery(.unreachable, device: Self.core, count: 4, time: Self.time)))
    }

    @Test func aSweepOfAThousandChangesIsOneMessage() {
        var batcher = AlertBatcher<ManualInstant>(defaultGrouping: AlertGrouping(window: .seconds(30), maxPerMinute: 5))
        let start = ManualInstant(offset: .zero)
        for index in 0..<1000 {
            let device = Device(name: "sw\(index)", host: "10.1.0.1", platform: "cisco_ios")
            let alert = Self.change(device, index % 10 == 0 ? .expected : .unexpected)
            batcher.add(alert, to: ["noc"], at: start.advanced(by: .milliseconds(index * 10)))
        }
        #expect(batcher.due(at: start.advanced(by: .seconds(29))).isEmpty)
        #expect(batcher.nextDeadline == start.advanced(by: .seconds(30)))
        let batches = batcher.due(at: start.advanced(by: .seconds(30)))
        #expect(batches.count == 1)
        guard let batch = batches.first else { return }
        #expect(batch.destination == "noc")
        #expect(batch.alerts.count == 5)
        #expect(batch.digest?.count == 995)
        #expect(batch.totalCount == 1000)
        #expect(batch.digest?.devices.count == 995)
        #expect(batch.digest?.verdicts == ["unexpected": 896, "expected": 99])
        #expect(batch.title == "1000 alerts on 1000 devices (900 unexpected, 100 expected)")
        #expect(batcher.pendingCount == 0 && batcher.nextDeadline == nil)
    }

    @Test func rateLimitCarriesOverTheMinute() {
        var batcher = AlertBatcher<ManualInstant>(
            defaultGrouping: AlertGrouping(window: .seconds(10), maxPerMinute: 3),
            groupings: ["mail": AlertGrouping(window: .seconds(60), maxPerMinute: 100)])
        let start = ManualInstant(offset: .zero)
        func add(_ count: Int, at seconds: Int) {
            for index in 0..<count {
                let at = start.advanced(by: .seconds(seconds + index))
                batcher.add(Self.change(Self.edge, .unexpected), to: ["slack", "mail"], at: at)
            }
        }
        add(2, at: 0)
        var batches = batcher.due(at: start.advanced(by: .seconds(10)))
        #expect(batches.map(\.destination) == ["slack"])  // mail's window is a minute
        #expect(batches.first?.alerts.count == 2 && batches.first?.digest == nil)
        add(3, at: 20)
        batches = batcher.due(at: start.advanced(by: .seconds(30)))
        // One in full (3 per minute, 2 used), two in the digest.
        #expect(batches.first?.alerts.count == 1)
        #expect(batches.first?.digest?.count == 2)
        add(2, at: 80)
        batches = batcher.due(at: start.advanced(by: .seconds(90)))
        // Mail's minute-long window (nobody asked between 60 s and 80 s) took all seven, in full.
        #expect(batches.map(\.destination) == ["mail", "slack"])
        #expect(batches.first?.alerts.count == 7 && batches.first?.digest == nil)
        #expect(batches.last?.alerts.count == 2)  // slack: the minute has passed
        let flushed = batcher.flush(at: start.advanced(by: .seconds(91)))
        #expect(flushed.isEmpty)
    }

    @Test func zeroWindowDeliversAtOnceAndFlushEmptiesEverything() {
        var batcher = AlertBatcher<ManualInstant>(defaultGrouping: AlertGrouping(window: .zero, maxPerMinute: 10))
        let now = ManualInstant(offset: .seconds(5))
        batcher.add(Self.change(Self.core, .unexpected), to: ["a"], at: now)
        #expect(batcher.due(at: now).first?.single?.device == "core1")
        batcher.add(Self.change(Self.core, .unexpected), to: ["b"], at: now)
        batcher.add(Self.change(Self.edge, .unexpected), to: ["c"], at: now)
        #expect(batcher.flush(at: now).map(\.destination) == ["b", "c"])
    }

    @Test func batchesSurviveJSONForTheOutbox() throws {
        var alert = Self.change(Self.core, .unexpected, .critical)
        alert.events = [
            ChangeEvent(
                id: "e1", kind: .syslog, device: "core1", user: "alice", source: "10.9.0.5", time: Self.time,
                raw: "%SYS-5-CONFIG_I", change: .committed)
        ]
        let batch = AlertBatch(
            destination: "noc", alerts: [alert],
            digest: AlertDigest([Alert.failure(.unreachable, device: Self.edge, count: 3, detail: "x", time: Self.time)]
            ))
        let decoded = try JSONDecoder().decode(AlertBatch.self, from: JSONEncoder().encode(batch))
        #expect(decoded == batch)
        #expect(decoded.severity == .critical)
        #expect(decoded.digest?.failures == ["unreachable": 1])
    }
}
