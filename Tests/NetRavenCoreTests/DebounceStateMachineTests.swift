import Foundation
import Synchronization
import NetRavenCore
import Testing

/// A manual clock's instant: whole milliseconds since the test began.
struct TestInstant: InstantProtocol, CustomStringConvertible {
    var ms: Int64
    func advanced(by duration: Duration) -> TestInstant {
        TestInstant(ms: ms + Int64(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000))
    }
    func duration(to other: TestInstant) -> Duration { .milliseconds(other.ms - ms) }
    static func < (a: TestInstant, b: TestInstant) -> Bool { a.ms < b.ms }
    static func seconds(_ s: Double) -> TestInstant { TestInstant(ms: Int64(s * 1000)) }
    var description: String { "t=\(Double(ms) / 1000)s" }
}

/// Drives a DebounceStateMachine like the daemon does, with a manual clock.
struct DebounceHarness {
    var machine: DebounceStateMachine<TestInstant>
    var now = TestInstant(ms: 0)
    var started: [CaptureJob] = []
    private var eventCounter = 0

    init(settings: DebounceSettings = DebounceSettings(quietPeriod: .seconds(10), maximumDelay: .seconds(60), recheckDelay: .seconds(15), concurrency: 4)) {
        let counter = JobCounter()
        machine = DebounceStateMachine(settings: settings, makeJobID: { counter.next() })
    }

    mutating func event(_ device: String, kind: TriggerKind = .syslog, user: String? = "jdoe", commit: String? = nil) {
        eventCounter += 1
        let e = ChangeEvent(id: "e\(eventCounter)", kind: kind, device: device, user: user, time: Date(timeIntervalSince1970: Double(now.ms) / 1000), change: .committed, commit: commit)
        started += machine.received(e, at: now)
    }

    /// Advances the clock to `seconds` in steps the way the daemon's loop would: waking at each deadline.
    mutating func advance(to seconds: Double) {
        let target = TestInstant.seconds(seconds)
        while let deadline = machine.nextDeadline, deadline <= target {
            now = max(now, deadline)
            started += machine.tick(at: now)
        }
        now = target
        started += machine.tick(at: now)
    }

    mutating func finish(_ job: CaptureJob, _ outcome: CaptureJobOutcome) {
        started += machine.finished(jobID: job.id, outcome: outcome, at: now)
    }

    mutating func takeStarted() -> [CaptureJob] {
        defer { started = [] }
        return started
    }
}

final class JobCounter: Sendable {
    private let n = Mutex(0)
    func next() -> String {
        n.withLock {
            $0 += 1
            return "job\($0)"
        }
    }
}

@Suite("Debounce state machine")
struct DebounceStateMachineTests {
    @Test("A burst of events becomes one capture once the device is quiet, holding every event")
    func burstCoalesces() {
        var h = DebounceHarness()
        h.event("r1")
        h.advance(to: 3)
        h.event("r1")
        h.advance(to: 8)
        h.event("r1")
        h.advance(to: 17.9)
        #expect(h.takeStarted().isEmpty)
        #expect(h.machine.state(of: "r1") == .debouncing(events: 3, due: .seconds(18)))
        h.advance(to: 18)
        let jobs = h.takeStarted()
        #expect(jobs.count == 1)
        #expect(jobs.first?.events.map(\.id) == ["e1", "e2", "e3"])
        #expect(jobs.first?.trigger == .syslog)
        #expect(h.machine.state(of: "r1") == .running(jobID: "job1", dirty: 0))
    }

    @Test("A device that never goes quiet is captured at the cap after the first event")
    func hardCap() {
        var h = DebounceHarness()
        for second in stride(from: 0.0, through: 70.0, by: 5.0) {
            h.advance(to: second)
            h.event("r1")
        }
        let jobs = h.takeStarted()
        #expect(jobs.count == 1)
        // Events at 0...60 s are in it (the one at 60 s arrives at the cap instant, after the capture started).
        #expect(jobs.first?.events.count == 12)
        #expect(h.machine.state(of: "r1") == .running(jobID: "job1", dirty: 3))
    }

    @Test("An event during collection marks the device dirty and leads to a second capture afterwards")
    func eventDuringCollection() throws {
        var h = DebounceHarness()
        h.event("r1")
        h.advance(to: 10)
        let first = try #require(h.takeStarted().first)
        h.advance(to: 12)
        h.event("r1", user: "alice")
        h.advance(to: 30)
        #expect(h.takeStarted().isEmpty, "no second collection of a device while it is being collected")
        h.finish(first, .committed)
        // The dirty event was quiet long enough already: captured at once.
        let second = try #require(h.takeStarted().first)
        #expect(second.events.map(\.user) == ["alice"])
        #expect(second.id != first.id)
    }

    @Test("Dirty events still debounce when the collection ends soon after them")
    func dirtyEventsDebounce() throws {
        var h = DebounceHarness()
        h.event("r1")
        h.advance(to: 10)
        let first = try #require(h.takeStarted().first)
        h.advance(to: 11)
        h.event("r1")
        h.advance(to: 12)
        h.finish(first, .committed)
        #expect(h.takeStarted().isEmpty)
        h.advance(to: 21)
        #expect(h.takeStarted().count == 1)
    }

    @Test("A syslog line and a trap for the same change merge into one capture")
    func syslogAndTrapMerge() {
        var h = DebounceHarness()
        h.event("r1", kind: .syslog)
        h.advance(to: 0.4)
        h.event("r1", kind: .trap)
        h.advance(to: 20)
        let jobs = h.takeStarted()
        #expect(jobs.count == 1)
        #expect(jobs.first?.events.map(\.kind) == [.syslog, .trap])
    }

    @Test("The global limit holds; due devices start in the order they became due as slots free up")
    func concurrencyLimit() {
        var h = DebounceHarness(settings: DebounceSettings(quietPeriod: .seconds(1), maximumDelay: .seconds(5), concurrency: 2))
        for (i, d) in ["a", "b", "c", "d"].enumerated() {
            h.advance(to: Double(i) * 0.1)
            h.event(d)
        }
        h.advance(to: 5)
        var jobs = h.takeStarted()
        #expect(jobs.map(\.device) == ["a", "b"])
        #expect(h.machine.running == 2)
        #expect(h.machine.queuedCount == 2)
        h.finish(jobs[1], .unchanged)
        jobs = h.takeStarted()
        #expect(jobs.map(\.device) == ["c"])
    }

    @Test("A sweep never queues a device that is debouncing, queued or running")
    func sweepSkipsBusyDevices() {
        var h = DebounceHarness()
        h.event("r1")
        let (outcome, start) = h.machine.requested(device: "r1", trigger: .sweep, at: h.now)
        #expect(start.isEmpty)
        guard case .alreadyPending(.debouncing(events: 1, _)) = outcome else {
            Issue.record("expected alreadyPending, got \(outcome)")
            return
        }
        let (other, jobs) = h.machine.requested(device: "r2", trigger: .sweep, at: h.now)
        #expect(other == .queued(jobID: "job1"))
        #expect(jobs.map(\.trigger) == [.sweep])
        let (again, none) = h.machine.requested(device: "r2", trigger: .sweep, at: h.now)
        #expect(again == .alreadyPending(.running(jobID: "job1", dirty: 0)))
        #expect(none.isEmpty)
    }

    @Test("An event for a queued sweep job explains it")
    func eventJoinsQueuedSweep() {
        var h = DebounceHarness(settings: DebounceSettings(concurrency: 1))
        _ = h.machine.requested(device: "busy", trigger: .sweep, at: h.now)
        _ = h.machine.requested(device: "r1", trigger: .sweep, at: h.now)
        h.event("r1", kind: .trap)
        let running = h.machine.state(of: "busy")
        guard case .running(let jobID, _) = running else {
            Issue.record("busy should be running, is \(running)")
            return
        }
        let next = h.machine.finished(jobID: jobID, outcome: .committed, at: h.now)
        #expect(next.map(\.trigger) == [.trap])
        #expect(next.first?.events.count == 1)
    }

    @Test("Unchanged after an event that named a device commit: one re-collection after the delay, not more")
    func recheckOnce() throws {
        var h = DebounceHarness()
        h.event("r1", kind: .syslog, commit: "re0-1700000000")
        h.advance(to: 10)
        let first = try #require(h.takeStarted().first)
        h.finish(first, .unchanged)
        #expect(h.takeStarted().isEmpty)
        h.advance(to: 24.9)
        #expect(h.takeStarted().isEmpty)
        h.advance(to: 25)
        let recheck = try #require(h.takeStarted().first)
        #expect(recheck.isRecheck)
        #expect(recheck.events.map(\.id) == first.events.map(\.id))
        h.finish(recheck, .unchanged)
        h.advance(to: 100)
        #expect(h.takeStarted().isEmpty)
        #expect(h.machine.state(of: "r1") == .idle)
    }

    @Test("Unchanged without a commit id is final; a failure frees the device")
    func noRecheckWithoutCommit() throws {
        var h = DebounceHarness()
        h.event("r1")
        h.event("r2")
        h.advance(to: 10)
        let jobs = h.takeStarted()
        #expect(jobs.count == 2)
        h.finish(jobs[0], .unchanged)
        h.finish(jobs[1], .failed)
        h.advance(to: 100)
        #expect(h.takeStarted().isEmpty)
        #expect(h.machine.busyDevices == 0)
        #expect(h.machine.nextDeadline == nil)
    }

    @Test("A resumed job absorbs resumed orphan events of the same device")
    func resumeMerges() {
        var h = DebounceHarness(settings: DebounceSettings(concurrency: 1))
        _ = h.machine.requested(device: "busy", trigger: .manual, at: h.now)
        h.event("r1")
        let old = CaptureJob(id: "old", device: "r1", trigger: .trap, events: [ChangeEvent(id: "x", kind: .trap, device: "r1", time: Date())])
        #expect(h.machine.resumed(old, at: h.now).isEmpty)
        #expect(h.machine.state(of: "r1") == .queued)
        guard case .running(let jobID, _) = h.machine.state(of: "busy") else { return }
        let next = h.machine.finished(jobID: jobID, outcome: .committed, at: h.now)
        #expect(next.map(\.id) == ["old"])
        #expect(next.first?.events.map(\.id) == ["x", "e1"])
    }

    @Test("A finish for an unknown job changes nothing")
    func unknownFinish() {
        var h = DebounceHarness()
        h.event("r1")
        #expect(h.machine.finished(jobID: "nope", outcome: .committed, at: h.now).isEmpty)
        #expect(h.machine.state(of: "r1") == .debouncing(events: 1, due: .seconds(10)))
    }
}
