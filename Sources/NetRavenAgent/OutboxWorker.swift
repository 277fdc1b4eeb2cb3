public import Foundation
public import Logging
public import NetRavenCore
public import NetRavenJournal

/// Delivers the journal's outbox: hands each due item to the handler of its kind and records the result; failed
/// deliveries are retried after a backoff, across restarts, until delivered or rejected.
///
/// Items of one kind and key go strictly one at a time and in order; different keys in parallel, up to
/// `concurrency`. The worker wakes when ``wake()`` says an item was enqueued, when a delivery ends, and at the next
/// due time. Handlers run outside this actor; they must not block a thread (blocking C work goes to threads of its
/// own, as pushes do through the archive's thread).
public actor OutboxWorker {
    /// Delivers one item. Runs concurrently for different keys; never twice at once for one key.
    public typealias Handler = @Sendable (OutboxItem) async -> OutboxResult

    /// What the worker has done since it started, and what waits (for logs, metrics and tests).
    public struct Counters: Sendable, Equatable, CustomStringConvertible {
        public var delivered = 0
        /// Attempts that failed and were scheduled again.
        public var retries = 0
        public var rejected = 0
        /// Items pending in the journal (every kind) when the worker last looked.
        public var pending = 0

        /// Creates counters (zero unless given).
        public init(delivered: Int = 0, retries: Int = 0, rejected: Int = 0, pending: Int = 0) {
            self.delivered = delivered
            self.retries = retries
            self.rejected = rejected
            self.pending = pending
        }

        public var description: String {
            "delivered=\(delivered) retries=\(retries) rejected=\(rejected) pending=\(pending)"
        }
    }

    private struct KindKey: Hashable {
        var kind: String
        var key: String
    }

    private let journal: EventJournal
    private let policy: OutboxRetryPolicy
    private let concurrency: Int
    private let logger: Logger
    private let jitter: @Sendable () -> Double
    private var handlers: [String: Handler] = [:]
    private var inFlight: [Int64: Task<Void, Never>] = [:]
    private var busyKeys: Set<KindKey> = []
    private var started = false
    private var stopping = false
    private var pumping = false
    /// Set by every reason to look at the journal again; cleared when a look begins.
    private var dirty = false
    private var timer: Task<Void, Never>?
    private var nextDue: Date?
    /// Set when the journal refused a write: no delivery starts before then.
    private var pausedUntil: Date?
    private var pendingHandled = 0
    private var settledWaiters: [CheckedContinuation<Void, Never>] = []
    private var emptyWaiters: [CheckedContinuation<Void, Never>] = []
    /// Items already reported stuck (once per item and process, not at every retry).
    private var reportedStuck: Set<Int64> = []
    public private(set) var counters = Counters()

    /// Creates a worker on `journal`; nothing is delivered before ``start()``. `jitter` returns a number in 0...1
    /// that spreads retries of items failing together (tests pin it).
    public init(
        journal: EventJournal, policy: OutboxRetryPolicy = OutboxRetryPolicy(), concurrency: Int = 4,
        logger: Logger, jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.journal = journal
        self.policy = policy
        self.concurrency = max(1, concurrency)
        self.logger = logger
        self.jitter = jitter
    }

    /// Sets the handler of `kind`. Items of kinds without a handler stay pending (and are listed by
    /// `netraven outbox`) until a worker that handles them runs.
    public func register(kind: String, handler: @escaping Handler) {
        handlers[kind] = handler
        requestPump()
    }

    /// Starts delivering: attempts in flight when the previous process stopped count as over, and everything
    /// pending is picked up as it comes due.
    public func start() async throws {
        guard !started else { return }
        let interrupted = try await journal.resetInterruptedAttempts()
        if interrupted > 0 {
            logger.notice("outbox deliveries interrupted by the last stop are tried again", metadata: ["items": "\(interrupted)"])
        }
        started = true
        requestPump()
    }

    /// Says that an item was enqueued (or anything else changed): the worker looks at the journal again.
    public func wake() {
        requestPump()
    }

    /// Graceful shutdown: starts no new delivery and waits for those in flight; each records its real result.
    /// What is still pending stays in the journal for the next start.
    public func drain() async {
        stopping = true
        timer?.cancel()
        timer = nil
        while let (_, task) = inFlight.first {
            await task.value
        }
        notifyWaiters()
    }

    /// Waits until no delivery is in flight and nothing is due now (what is pending waits for a later retry).
    public func waitUntilSettled() async {
        if isSettled { return }
        await withCheckedContinuation { settledWaiters.append($0) }
    }

    /// Waits until no item of a kind with a handler is pending (tests, `--once` runs). Returns at once after
    /// ``drain()``.
    public func waitUntilEmpty() async {
        if isEmpty { return }
        await withCheckedContinuation { emptyWaiters.append($0) }
    }

    /// Pending items that have waited too long or failed too often, with why (for alert routing).
    public func stuckItems(now: Date = Date(), limit: Int = 1000) async throws -> [(OutboxItem, OutboxRetryPolicy.Stuck)] {
        try await journal.pendingItems(limit: limit).compactMap { item in
            policy.stuck(createdAt: item.createdAt, attempts: item.attempts, now: now).map { (item, $0) }
        }
    }

    // MARK: Looking at the journal

    private var isSettled: Bool {
        if stopping { return inFlight.isEmpty }
        return started && !pumping && !dirty && inFlight.isEmpty && (nextDue.map { $0 > Date() } ?? true)
    }

    private var isEmpty: Bool {
        if stopping { return inFlight.isEmpty }
        return started && !pumping && !dirty && inFlight.isEmpty && pendingHandled == 0
    }

    private func requestPump() {
        dirty = true
        guard started, !stopping, !pumping else { return }
        pumping = true
        Task { await self.pump() }
    }

    /// One look at a time: a reason that arrives during a look (dirty) leads to another.
    private func pump() async {
        while dirty && !stopping {
            dirty = false
            await look()
        }
        pumping = false
        notifyWaiters()
    }

    private func look() async {
        let kinds = Set(handlers.keys)
        do {
            let free = concurrency - inFlight.count
            if free > 0, pausedUntil.map({ $0 <= Date() }) ?? true {
                pausedUntil = nil
                for item in try await journal.dueItems(at: Date(), kinds: kinds, limit: free) {
                    let kindKey = KindKey(kind: item.kind, key: item.key)
                    guard !stopping, inFlight.count < concurrency, !busyKeys.contains(kindKey),
                        inFlight[item.id] == nil, let handler = handlers[item.kind]
                    else { continue }
                    // Taken synchronously (no await between the check and here), so drain() waits for it.
                    busyKeys.insert(kindKey)
                    inFlight[item.id] = Task { await self.deliver(item, with: handler) }
                }
            }
            let counts = try await journal.outboxCounts().filter { $0.state == .pending }
            counters.pending = counts.reduce(0) { $0 + $1.count }
            pendingHandled = counts.filter { kinds.contains($0.kind) }.reduce(0) { $0 + $1.count }
            nextDue = try await journal.nextDueDate(kinds: kinds)
            if let pausedUntil, let due = nextDue, due < pausedUntil { nextDue = pausedUntil }
            scheduleTimer()
        } catch {
            // The journal failed (disk full, locked for longer than its timeout): look again a little later.
            logger.error("outbox: journal read failed; looking again in 5 s", metadata: ["reason": "\(error)"])
            nextDue = Date().addingTimeInterval(5)
            scheduleTimer()
        }
    }

    private func scheduleTimer() {
        timer?.cancel()
        timer = nil
        // With every slot busy, the end of a delivery looks again; nothing to wait for without a due time.
        guard let nextDue, !stopping, inFlight.count < concurrency else { return }
        let wait = nextDue.timeIntervalSinceNow
        // Due already (an item enqueued during the look): a second later at the latest. Never sleep more than a
        // minute, so a wall-clock jump does not leave items waiting.
        let delay = wait > 0 ? min(wait, 60) : 1
        timer = Task {
            do {
                try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            } catch {
                return  // cancelled: a newer due time replaced this one
            }
            self.requestPump()
        }
    }

    // MARK: Delivering

    private func deliver(_ due: OutboxItem, with handler: Handler) async {
        defer { release(due) }
        guard !stopping else { return }  // drain() began before this delivery did: it stays pending
        let item: OutboxItem
        do {
            // Marked in flight before the handler runs, so a coalescing enqueue no longer merges into it.
            item = try await journal.markAttemptStarted(item: due.id)
        } catch {
            // Writes fail (disk full?) while reads work: pause rather than try again in a tight loop.
            logger.error(
                "outbox: cannot record a delivery attempt; pausing deliveries for 5 s",
                metadata: ["outbox_item": "\(due.id)", "reason": "\(error)"])
            pausedUntil = Date().addingTimeInterval(5)
            return
        }
        let result = await handler(item)
        var log = logger
        log[metadataKey: "outbox_item"] = "\(item.id)"
        log[metadataKey: "kind"] = "\(item.kind)"
        log[metadataKey: "key"] = "\(item.key)"
        log[metadataKey: "attempt"] = "\(item.attempts)"
        let now = Date()
        do {
            switch result {
            case .delivered:
                try await journal.markDelivered(item: item.id, at: now)
                counters.delivered += 1
                log.info("outbox item delivered")
            case .retry(let reason):
                let next = policy.nextAttempt(afterAttempt: item.attempts, failedAt: now, unit: jitter())
                try await journal.markRetry(item: item.id, reason: reason, nextAttemptAt: next, at: now)
                counters.retries += 1
                log[metadataKey: "reason"] = "\(reason)"
                log[metadataKey: "next_attempt"] = "\(next.formatted(.iso8601))"
                if let stuck = policy.stuck(createdAt: item.createdAt, attempts: item.attempts, now: now),
                    reportedStuck.insert(item.id).inserted
                {
                    log.error("outbox item stuck; still retrying", metadata: ["stuck": "\(stuck)"])
                } else {
                    log.warning("outbox delivery failed; retrying later")
                }
            case .reject(let reason):
                try await journal.markRejected(item: item.id, reason: reason, at: now)
                counters.rejected += 1
                log.error("outbox item rejected; it will not be retried", metadata: ["reason": "\(reason)"])
            }
        } catch {
            // The result did not land: the item stays in flight in the journal and is tried again after a restart.
            log.error("outbox: recording a delivery result failed", metadata: ["reason": "\(error)"])
        }
    }

    private func release(_ item: OutboxItem) {
        inFlight[item.id] = nil
        busyKeys.remove(KindKey(kind: item.kind, key: item.key))
        requestPump()
        notifyWaiters()
    }

    private func notifyWaiters() {
        if isSettled, !settledWaiters.isEmpty {
            let waiters = settledWaiters
            settledWaiters = []
            for waiter in waiters { waiter.resume() }
        }
        if isEmpty, !emptyWaiters.isEmpty {
            let waiters = emptyWaiters
            emptyWaiters = []
            for waiter in waiters { waiter.resume() }
        }
    }
}
