/// Decides when each device is collected: per-device debounce of change events, coalescing, at most one
/// collection per device, a global concurrency limit, a second capture for events that arrive during a
/// collection, and one re-collection when a device reported a commit the archive did not see yet.
///
/// A pure value over any clock's instants: the daemon feeds it what happened (`received`, `requested`,
/// `finished`, `tick`) with the time, starts the jobs it returns, and sleeps until ``nextDeadline``.
/// Tests drive it with a manual clock.
public struct DebounceStateMachine<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// What the state machine knows about one device.
    public enum DeviceState: Sendable, Equatable {
        /// Nothing pending.
        case idle
        /// Events are coalescing; the capture becomes due at the instant.
        case debouncing(events: Int, due: Instant)
        /// Due, waiting for a free collection slot.
        case queued
        /// Being collected; `dirty` events arrived meanwhile and will be captured afterwards.
        case running(jobID: String, dirty: Int)
    }

    /// What a request (sweep, manual, API) led to.
    public enum RequestOutcome: Sendable, Equatable {
        /// A job was queued for it (it may already be among the jobs to start).
        case queued(jobID: String)
        /// The device is already debouncing, queued or running: that capture serves the request.
        case alreadyPending(DeviceState)
    }

    private struct Pending: Sendable {
        var events: [ChangeEvent]
        var first: Instant
        var last: Instant
        /// Set when this is the one re-collection after an unchanged result for a reported commit.
        var isRecheck = false
        /// Earliest start, for a recheck (its delay); nil for events (quiet period and cap decide).
        var notBefore: Instant?
    }

    private enum Entry: Sendable {
        case debouncing(Pending)
        case queued(CaptureJob)
        case running(CaptureJob, dirty: Pending?)
    }

    public let settings: DebounceSettings
    private let makeJobID: @Sendable () -> String
    private var entries: [String: Entry] = [:]
    /// Devices whose job is due, in the order they became due (fair under a storm).
    private var readyOrder: [String] = []
    private var runningCount = 0

    /// Creates an empty state machine; `makeJobID` names each new job (the daemon uses UUIDs, tests counters).
    public init(settings: DebounceSettings = DebounceSettings(), makeJobID: @escaping @Sendable () -> String) {
        self.settings = settings
        self.makeJobID = makeJobID
    }

    /// Where the events of `device`'s pending burst (debouncing, or dirty while running) are stored; tests check
    /// that a burst grows its array in place instead of copying it per event.
    func pendingEventsStorage(of device: String) -> UnsafeRawPointer? {
        let events: [ChangeEvent]?
        switch entries[device] {
        case .debouncing(let pending)?: events = pending.events
        case .queued(let job)?: events = job.events
        case .running(_, let dirty)?: events = dirty?.events
        case nil: events = nil
        }
        return events?.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
    }

    // MARK: Inputs

    /// A change event for a device: start or extend its debounce, or mark a running device dirty.
    /// Returns the jobs to start now.
    public mutating func received(_ event: ChangeEvent, at now: Instant) -> [CaptureJob] {
        // Taken out of the dictionary and consumed, so the entry's events array has one owner and the append below
        // grows it in place: switching over `entries[device]` kept a second reference, and every event of a burst
        // copied all the events before it (quadratic in a storm on one device; benchmark P1, docs/benchmarks.md).
        let current = entries.removeValue(forKey: event.device)
        switch consume current {
        case nil:
            entries[event.device] = .debouncing(Pending(events: [event], first: now, last: now))
        case .debouncing(var pending)?:
            pending.events.append(event)
            pending.last = now
            if pending.isRecheck {
                // A fresh event supersedes the delayed recheck: debounce it like any other burst.
                pending.isRecheck = false
                pending.notBefore = nil
                pending.first = now
            }
            entries[event.device] = .debouncing(pending)
        case .queued(var job)?:
            // Not started yet: the event rides along with the capture that is about to run, and now explains it.
            if job.events.isEmpty, job.trigger == .sweep { job.trigger = event.kind }
            job.events.append(event)
            entries[event.device] = .queued(job)
        case .running(let job, var dirty)?:
            if dirty == nil {
                dirty = Pending(events: [event], first: now, last: now)
            } else {
                dirty!.events.append(event)
                dirty!.last = now
            }
            entries[event.device] = .running(job, dirty: dirty)
        }
        return tick(at: now)
    }

    /// A capture asked for without an event (sweep, `netraven backup`, the API). A device already debouncing,
    /// queued or running is not queued twice.
    public mutating func requested(
        device: String, trigger: TriggerKind, at now: Instant
    ) -> (outcome: RequestOutcome, start: [CaptureJob]) {
        if entries[device] != nil { return (.alreadyPending(state(of: device)), tick(at: now)) }
        let job = CaptureJob(id: makeJobID(), device: device, trigger: trigger, events: [])
        enqueue(job)
        return (.queued(jobID: job.id), tick(at: now))
    }

    /// A job found unfinished in the journal after a restart: queue it again as it was (its events included).
    public mutating func resumed(_ job: CaptureJob, at now: Instant) -> [CaptureJob] {
        switch entries[job.device] {
        case nil:
            enqueue(job)
        case .debouncing(let pending)?:
            // Orphan events resumed first: fold them into the resumed job rather than capturing twice.
            var merged = job
            merged.events += pending.events.filter { event in !job.events.contains { $0.id == event.id } }
            entries[job.device] = nil
            enqueue(merged)
        case .queued(var queued)?:
            queued.events += job.events.filter { event in !queued.events.contains { $0.id == event.id } }
            entries[job.device] = .queued(queued)
        case .running?:
            break
        }
        return tick(at: now)
    }

    /// A job ended. Dirty events become the next debounce; an unchanged result for events that named a
    /// device commit id schedules one re-collection.
    public mutating func finished(jobID: String, outcome: CaptureJobOutcome, at now: Instant) -> [CaptureJob] {
        guard let (device, job, dirty) = runningJob(id: jobID) else { return tick(at: now) }
        runningCount -= 1
        entries[device] = nil
        if var next = dirty {
            // The device changed again while it was being read: capture again once it is quiet.
            next.isRecheck = false
            entries[device] = .debouncing(next)
        } else if outcome == .unchanged, !job.isRecheck, job.events.contains(where: { $0.commit != nil }) {
            entries[device] = .debouncing(
                Pending(
                    events: job.events, first: now, last: now, isRecheck: true,
                    notBefore: now.advanced(by: settings.recheckDelay)))
        }
        return tick(at: now)
    }

    /// Moves due debounces to the queue and starts queued jobs while slots are free.
    public mutating func tick(at now: Instant) -> [CaptureJob] {
        var due: [(String, Instant)] = []
        for (device, entry) in entries {
            if case .debouncing(let pending) = entry {
                let when = dueInstant(pending)
                if when <= now { due.append((device, when)) }
            }
        }
        // Oldest deadline first, then by name: deterministic order for the same instant.
        for (device, _) in due.sorted(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) {
            guard case .debouncing(let pending)? = entries[device] else { continue }
            let trigger = pending.events.first?.kind ?? .syslog
            enqueue(
                CaptureJob(
                    id: makeJobID(), device: device, trigger: trigger, events: pending.events,
                    isRecheck: pending.isRecheck))
        }
        var started: [CaptureJob] = []
        while runningCount < max(settings.concurrency, 1), !readyOrder.isEmpty {
            let device = readyOrder.removeFirst()
            guard case .queued(let job)? = entries[device] else { continue }
            entries[device] = .running(job, dirty: nil)
            runningCount += 1
            started.append(job)
        }
        return started
    }

    // MARK: Queries

    /// The earliest instant at which ``tick(at:)`` has something to do; nil when only external input can.
    public var nextDeadline: Instant? {
        var earliest: Instant?
        for entry in entries.values {
            if case .debouncing(let pending) = entry {
                let when = dueInstant(pending)
                if earliest == nil || when < earliest! { earliest = when }
            }
        }
        return earliest
    }

    /// What is happening to a device.
    public func state(of device: String) -> DeviceState {
        switch entries[device] {
        case nil: return .idle
        case .debouncing(let p)?: return .debouncing(events: p.events.count, due: dueInstant(p))
        case .queued?: return .queued
        case .running(let job, let dirty)?: return .running(jobID: job.id, dirty: dirty?.events.count ?? 0)
        }
    }

    /// Jobs running now.
    public var running: Int { runningCount }

    /// Devices with a job due but waiting for a slot.
    public var queuedCount: Int { readyOrder.count }

    /// Devices with anything pending (debouncing, queued or running).
    public var busyDevices: Int { entries.count }

    // MARK: Internals

    private func dueInstant(_ pending: Pending) -> Instant {
        if let notBefore = pending.notBefore { return notBefore }
        let quiet = pending.last.advanced(by: settings.quietPeriod)
        let cap = pending.first.advanced(by: settings.maximumDelay)
        return min(quiet, cap)
    }

    private mutating func enqueue(_ job: CaptureJob) {
        entries[job.device] = .queued(job)
        readyOrder.append(job.device)
    }

    private func runningJob(id: String) -> (String, CaptureJob, Pending?)? {
        for (device, entry) in entries {
            if case .running(let job, let dirty) = entry, job.id == id { return (device, job, dirty) }
        }
        return nil
    }
}

/// Timing of the debounce.
public struct DebounceSettings: Sendable, Equatable {
    /// The device must be quiet this long after its last event before it is collected.
    public var quietPeriod: Duration
    /// A device that never goes quiet is collected this long after the first event anyway.
    public var maximumDelay: Duration
    /// Wait before the one re-collection after an unchanged result for a reported commit.
    public var recheckDelay: Duration
    /// Collections at once, across all devices.
    public var concurrency: Int

    /// Defaults: 10 s quiet, 60 s cap, 15 s recheck, 16 at once.
    public init(
        quietPeriod: Duration = .seconds(10), maximumDelay: Duration = .seconds(60),
        recheckDelay: Duration = .seconds(15), concurrency: Int = 16
    ) {
        self.quietPeriod = quietPeriod
        self.maximumDelay = maximumDelay
        self.recheckDelay = recheckDelay
        self.concurrency = concurrency
    }
}

/// One capture to run: a device, why, and every event it answers.
public struct CaptureJob: Sendable, Equatable, Identifiable {
    public var id: String
    public var device: String
    public var trigger: TriggerKind
    public var events: [ChangeEvent]
    /// The one re-collection after an unchanged result for events that named a device commit.
    public var isRecheck: Bool

    /// Creates a job.
    public init(id: String, device: String, trigger: TriggerKind, events: [ChangeEvent], isRecheck: Bool = false) {
        self.id = id
        self.device = device
        self.trigger = trigger
        self.events = events
        self.isRecheck = isRecheck
    }
}

/// How a capture ended, as far as scheduling cares.
public enum CaptureJobOutcome: Sendable, Equatable {
    case committed
    case unchanged
    case failed
}
