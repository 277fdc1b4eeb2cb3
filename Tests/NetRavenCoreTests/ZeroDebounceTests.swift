import Foundation
import NetRavenCore
import Testing

/// `debounce: {quiet: 0s, max_delay: 0s}` (what the latency benchmark P3 runs with): accepted by the loader, and
/// every event is captured at once, without waiting for a timer.
extension ConfigurationLoaderTests {
    @Test func acceptsAZeroDebounce() throws {
        let main = "state_dir: state\ninventory: inventory.yaml\ncredentials: credentials.yaml\n"
            + "debounce: {quiet: 0s, max_delay: 0s}\n"
        let loaded = try load(main: main, inventory: Self.validInventory)
        #expect(loaded.settings.debounce.quietPeriod == .zero)
        #expect(loaded.settings.debounce.maximumDelay == .zero)
        let refused = problems(main: main.replacingOccurrences(of: "quiet: 0s", with: "quiet: -1s"))
        #expect(refused.contains { $0.message.contains("must be a duration") }, "\(refused)")
    }
}

@Suite("Debounce of zero")
struct ZeroDebounceTests {
    static let zero = DebounceSettings(quietPeriod: .zero, maximumDelay: .zero, recheckDelay: .seconds(15), concurrency: 2)

    @Test("An event starts its capture in the same step, with no deadline left to wait for")
    func capturesAtOnce() throws {
        var h = DebounceHarness(settings: Self.zero)
        h.event("r1")
        let jobs = h.takeStarted()
        #expect(jobs.map(\.device) == ["r1"])
        #expect(jobs.first?.events.map(\.id) == ["e1"])
        #expect(h.machine.nextDeadline == nil)
        #expect(h.machine.state(of: "r1") == .running(jobID: "job1", dirty: 0))
    }

    @Test("An event during a capture is captured again as soon as the first one ends")
    func dirtyRunsRightAfter() throws {
        var h = DebounceHarness(settings: Self.zero)
        h.event("r1")
        let first = try #require(h.takeStarted().first)
        h.event("r1")
        #expect(h.takeStarted().isEmpty, "one capture per device at a time")
        #expect(h.machine.state(of: "r1") == .running(jobID: first.id, dirty: 1))
        h.finish(first, .committed)
        let second = h.takeStarted()
        #expect(second.map(\.device) == ["r1"])
        #expect(second.first?.events.map(\.id) == ["e2"])
    }

    @Test("With every slot busy, due devices queue instead of waiting for a timer")
    func queuesBeyondConcurrency() throws {
        var h = DebounceHarness(settings: Self.zero)
        for device in ["r1", "r2", "r3"] { h.event(device) }
        let running = h.takeStarted()
        #expect(running.map(\.device) == ["r1", "r2"])
        #expect(h.machine.state(of: "r3") == .queued)
        h.finish(running[0], .committed)
        #expect(h.takeStarted().map(\.device) == ["r3"])
    }
}
