import Foundation
public import Logging
public import NetRavenCore
public import NetRavenJournal
import NetRavenMetrics

/// The daemon's capture loop: journals every accepted event, debounces per device, runs captures under the
/// global limit, records each job's outcome, enqueues a push after commits (delivered by the ``OutboxWorker``), and
/// resumes unfinished work after a restart.
///
/// The deciding is ``DebounceStateMachine``'s; this actor only feeds it the time and carries out its jobs.
/// Captures run on CaptureService's own threads (SSH workers, the archive's thread), never on this actor.
public actor CaptureCoordinator {
    /// What the coordinator has done so far, for logs, `/status` and tests.
    public struct Counters: Sendable, Equatable, CustomStringConvertible {
        public var eventsAccepted = 0
        public var duplicateEvents = 0
        public var unknownDeviceEvents = 0
        public var jobsStarted = 0
        public var committed = 0
        public var unchanged = 0
        public var failed = 0
        /// Pushes that sent commits (outbox deliveries of kind `push`).
        public var pushes = 0
        /// Push attempts that failed (each is retried by the outbox).
        public var pushFailures = 0

        public var description: String {
            "events=\(eventsAccepted) duplicates=\(duplicateEvents) unknown_device=\(unknownDeviceEvents) "
                + "jobs=\(jobsStarted) committed=\(committed) unchanged=\(unchanged) failed=\(failed) "
                + "pushes=\(pushes) push_failures=\(pushFailures)"
        }
    }

    private var machine: DebounceStateMachine<ContinuousClock.Instant>
    private let clock = ContinuousClock()
    private let journal: EventJournal
    private let service: CaptureService
    private let logger: Logger
    private var devices: [String: Device]
    private var timer: Task<Void, Never>?
    private var runningTasks: [String: Task<Void, Never>] = [:]
    /// Jobs the journal already holds (resumed after a restart): not created again.
    private var journaledJobs: Set<String> = []
    private var accepting = true
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    /// Woken after a push is enqueued; nil = the push items wait in the journal for a worker that delivers them.
    private let outbox: OutboxWorker?
    private var followUp: CaptureFollowUp?
    public private(set) var counters = Counters()

    /// Creates the coordinator; nothing runs until events, requests or ``resume()`` arrive. After each commit it
    /// enqueues a `push` item (when a remote is configured) and wakes `outbox`, whose `push` handler should be
    /// ``deliverPush(_:)``.
    public init(
        service: CaptureService, journal: EventJournal, settings: DebounceSettings, logger: Logger,
        outbox: OutboxWorker? = nil
    ) {
        self.service = service
        self.journal = journal
        self.logger = logger
        self.outbox = outbox
        machine = DebounceStateMachine(settings: settings, makeJobID: { CaptureService.newJobID() })
        devices = Dictionary(service.configuration.devices.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: Inputs

    /// Journals an event, then debounces it. Returns only after the journal holds it, so a listener may
    /// acknowledge it (TCP read on, inform response). Returns false for an id already journaled.
    @discardableResult
    public func submit(_ event: ChangeEvent, peer: String?, transport: String?) async throws -> Bool {
        let metrics = MetricsRegistry.shared.catalog
        guard try await journal.record(event, peer: peer, transport: transport) else {
            counters.duplicateEvents += 1
            metrics.eventsDropped(.duplicate).increment()
            return false
        }
        counters.eventsAccepted += 1
        if devices[event.device] == nil {
            // The resolver only hands over inventory devices; a reload may have removed it since.
            counters.unknownDeviceEvents += 1
            metrics.eventsDropped(.unknownDevice).increment()
            logger.warning("event for a device not in the inventory kept in the journal", metadata: ["device": "\(event.device)"])
            return true
        }
        metrics.eventsAccepted.increment()
        guard accepting else { return true }  // journaled: the next start resumes it
        start(machine.received(event, at: clock.now))
        return true
    }

    /// A capture without an event (sweep, API). A device already pending is not queued twice.
    public func request(device: String, trigger: TriggerKind) -> DebounceStateMachine<ContinuousClock.Instant>.RequestOutcome? {
        guard accepting, devices[device] != nil else { return nil }
        let (outcome, jobs) = machine.requested(device: device, trigger: trigger, at: clock.now)
        start(jobs)
        return outcome
    }

    /// Queues what the journal holds unfinished: jobs queued or running when the daemon stopped (a crash, a
    /// kill), and events no job took yet.
    public func resume() async throws -> (jobs: Int, events: Int) {
        let work = try await journal.unfinishedWork()
        for job in work.jobs {
            journaledJobs.insert(job.job.id)
            start(
                machine.resumed(
                    CaptureJob(id: job.job.id, device: job.job.device, trigger: job.job.trigger, events: job.events),
                    at: clock.now))
        }
        for event in work.orphanEvents {
            guard devices[event.device] != nil else {
                // Removed from the inventory since: kept in the journal (and shown by `netraven events`), said here.
                logger.warning(
                    "journaled event for a device no longer in the inventory is not captured",
                    metadata: ["device": "\(event.device)", "event": "\(event.id)"])
                continue
            }
            start(machine.received(event, at: clock.now))
        }
        if !work.jobs.isEmpty || !work.orphanEvents.isEmpty {
            logger.notice(
                "resumed unfinished work from the journal",
                metadata: ["jobs": "\(work.jobs.count)", "events": "\(work.orphanEvents.count)"])
        }
        return (work.jobs.count, work.orphanEvents.count)
    }

    /// Takes a reloaded inventory (SIGHUP).
    public func update(devices list: [Device]) {
        devices = Dictionary(list.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Graceful shutdown: starts nothing new and waits for the captures in flight. Events still debouncing stay
    /// in the journal and are resumed by the next start.
    public func drain() async {
        accepting = false
        timer?.cancel()
        timer = nil
        while let (_, task) = runningTasks.first {
            await task.value
        }
    }

    /// Waits until nothing is debouncing, queued or running (tests and `netraven run --once`); the pushes it
    /// enqueued are the outbox's (``OutboxWorker/waitUntilEmpty()``).
    public func waitUntilIdle() async {
        if isIdle { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    /// What is happening to a device.
    public func state(of device: String) -> DebounceStateMachine<ContinuousClock.Instant>.DeviceState {
        machine.state(of: device)
    }

    // MARK: Running jobs

    private var isIdle: Bool { machine.busyDevices == 0 && runningTasks.isEmpty }

    private func start(_ jobs: [CaptureJob]) {
        for job in jobs {
            counters.jobsStarted += 1
            logger.info(
                "debounced: capture job queued",
                metadata: [
                    "job": "\(job.id)", "device": "\(job.device)", "trigger": "\(job.trigger.rawValue)",
                    "events": "\(job.events.map(\.id).joined(separator: ","))", "recheck": "\(job.isRecheck)",
                ])
            runningTasks[job.id] = Task { await self.run(job) }
        }
        let metrics = MetricsRegistry.shared.catalog
        let (queued, running) = (machine.queuedCount, machine.running)
        metrics.captureQueue(.queued).set(Double(queued))
        metrics.captureQueue(.running).set(Double(running))
        metrics.captureQueue(.debouncing).set(Double(max(0, machine.busyDevices - queued - running)))
        rescheduleTimer()
        notifyIfIdle()
    }

    private func run(_ job: CaptureJob) async {
        var log = logger
        log[metadataKey: "job"] = "\(job.id)"
        log[metadataKey: "device"] = "\(job.device)"
        let outcome: CaptureJobOutcome
        do {
            outcome = try await capture(job, logger: log)
        } catch {
            // The journal failed: the capture may have run, but its record did not land. Say so loudly; the
            // events stay unfinished in the journal and are captured again after a restart.
            log.error("journal write failed", metadata: ["reason": "\(error)"])
            outcome = .failed
        }
        runningTasks[job.id] = nil
        journaledJobs.remove(job.id)
        start(machine.finished(jobID: job.id, outcome: outcome, at: clock.now))
    }

    private func capture(_ job: CaptureJob, logger log: Logger) async throws -> CaptureJobOutcome {
        let now = Date()
        if !journaledJobs.contains(job.id) {
            try await journal.createJob(
                id: job.id, device: job.device, trigger: job.trigger, eventIDs: job.events.map(\.id), at: now)
        } else {
            try await journal.attach(eventIDs: job.events.map(\.id), toJob: job.id)
        }
        try await journal.markRunning(job: job.id, at: now)
        guard let device = devices[job.device] else {
            counters.failed += 1
            try await journal.finish(
                job: job.id, outcome: .failed(code: "configuration", reason: "device no longer in the inventory"),
                at: Date())
            return .failed
        }
        let result = await service.capture(
            CaptureRequest(device: device, trigger: job.trigger, events: job.events, jobID: job.id))
        switch result.outcome {
        case .changed(let commit, _, _, _):
            counters.committed += 1
            if let first = job.events.map(\.time).min() {
                MetricsRegistry.shared.catalog.eventToCommitLatency.record(max(0, Date().timeIntervalSince(first)))
            }
            // Uploads and alerts are journaled before the job is: a crash in between repeats the capture (which
            // then finds nothing new), never loses them.
            await followUp?.handle(.init(device: device, trigger: job.trigger, events: job.events, result: result))
            try await journal.finish(
                job: job.id, outcome: .committed(commit: commit ?? ""), at: Date(), verdict: result.verdict)
            await enqueuePush(device: job.device, commit: commit ?? "")
            return .committed
        case .unchanged:
            counters.unchanged += 1
            if !job.events.isEmpty {
                log.notice(
                    "change event but the configuration is unchanged",
                    metadata: ["events": "\(job.events.map(\.id).joined(separator: ","))"])
            }
            try await journal.finish(job: job.id, outcome: .unchanged, at: Date())
            await followUp?.handle(.init(device: device, trigger: job.trigger, events: job.events, result: result))
            return .unchanged
        case .failed(let error):
            counters.failed += 1
            try await journal.finish(
                job: job.id, outcome: .failed(code: "\(error.code)", reason: error.message), at: Date())
            await followUp?.handle(.init(device: device, trigger: job.trigger, events: job.events, result: result))
            return .failed
        }
    }

    /// Sets what runs after each capture (S3 uploads, alerts); nil = nothing.
    public func setFollowUp(_ followUp: CaptureFollowUp?) {
        self.followUp = followUp
    }

    /// Journals a push (coalesced: a push not yet started sends this commit too) and wakes the outbox.
    private func enqueuePush(device: String, commit: String) async {
        guard let remote = service.configuration.settings.archive.remote, remote.push else { return }
        do {
            try await journal.enqueue(
                kind: OutboxKind.push, key: ArchivePushRequest.key,
                request: ArchivePushRequest(device: device, commit: commit), coalescing: true)
        } catch {
            // The commit is in the archive; the next push (after the next commit, or `netraven push`) sends it.
            logger.error(
                "cannot journal the push of a commit", metadata: ["commit": "\(commit)", "reason": "\(error)"])
            return
        }
        await outbox?.wake()
    }

    /// The outbox handler of kind `push`: pushes the archive's branch (every commit not on the remote yet).
    /// A failed push is retried with backoff; nothing configured or nothing new counts as delivered.
    public func deliverPush(_ item: OutboxItem) async -> OutboxResult {
        switch await service.push() {
        case .pushed:
            counters.pushes += 1
            MetricsRegistry.shared.catalog.pushes.increment()
            return .delivered
        case .notConfigured, .upToDate:
            return .delivered
        case .failed(let reason):
            counters.pushFailures += 1
            MetricsRegistry.shared.catalog.pushFailures.increment()
            return .retry(reason)
        }
    }

    // MARK: Time

    private func rescheduleTimer() {
        timer?.cancel()
        timer = nil
        guard accepting, let deadline = machine.nextDeadline else { return }
        timer = Task {
            do {
                try await clock.sleep(until: deadline, tolerance: .milliseconds(50))
            } catch {
                return  // cancelled: a newer deadline replaced this one
            }
            self.timerFired()
        }
    }

    private func timerFired() {
        timer = nil
        start(machine.tick(at: clock.now))
    }

    private func notifyIfIdle() {
        guard isIdle, !idleWaiters.isEmpty else { return }
        let waiters = idleWaiters
        idleWaiters = []
        for waiter in waiters { waiter.resume() }
    }
}
