import Foundation
import Logging
import NetRavenAgent
import NetRavenCore
import NetRavenJournal
import NetRavenTestSupport
import Testing

/// Named points a delivery can wait for: the test proves an order or an overlap without any timing.
actor Checkpoints {
    private var reached: Set<String> = []
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    func reach(_ name: String) {
        reached.insert(name)
        for waiter in waiters.removeValue(forKey: name) ?? [] { waiter.resume() }
    }

    func wait(for name: String) async {
        if reached.contains(name) { return }
        await withCheckedContinuation { waiters[name, default: []].append($0) }
    }
}

/// What a handler saw: the payloads in delivery order, and whether two deliveries of one key ever overlapped.
actor DeliveryLog {
    private(set) var delivered: [String] = []
    private(set) var attempts: [String: Int] = [:]
    private(set) var overlaps: [String] = []
    private var active: Set<String> = []

    func begin(_ item: OutboxItem) -> Int {
        let name = Self.name(item)
        if !active.insert(item.kind + "/" + item.key).inserted { overlaps.append(name) }
        attempts[name, default: 0] += 1
        return attempts[name] ?? 0
    }

    func end(_ item: OutboxItem, delivered wasDelivered: Bool) {
        active.remove(item.kind + "/" + item.key)
        if wasDelivered { delivered.append(Self.name(item)) }
    }

    static func name(_ item: OutboxItem) -> String {
        (try? item.decodePayload([String: String].self))?["name"] ?? "?"
    }
}

/// The outbox worker on a real journal file with real handlers.
@Suite(.timeLimit(.minutes(2))) struct OutboxWorkerTests {
    let directory: TemporaryDirectory
    let path: String
    let logger: Logger

    init() throws {
        directory = try TemporaryDirectory()
        path = directory.path + "/state/journal.sqlite"
        var logger = Logger(label: "test")
        logger.logLevel = .critical  // retries and rejections are logged on purpose here
        self.logger = logger
    }

    /// Retries come quickly and exactly (no jitter), so a test needs no long waits.
    static let quick = OutboxRetryPolicy(
        backoff: Backoff(initial: .milliseconds(20), maximum: .milliseconds(80), multiplier: 2, jitter: 0),
        stuckAfter: .seconds(3600), stuckAttempts: 2)

    func enqueue(_ journal: EventJournal, kind: String = "test", key: String, _ name: String) async throws -> OutboxItem {
        try await journal.enqueue(kind: kind, key: key, request: ["name": name])
    }

    @Test func oneKeyInOrderDifferentKeysInParallel() async throws {
        let journal = try EventJournal(path: path)
        let worker = OutboxWorker(journal: journal, policy: Self.quick, concurrency: 4, logger: logger)
        let log = DeliveryLog()
        let checkpoints = Checkpoints()
        await worker.register(kind: "test") { item in
            _ = await log.begin(item)
            let name = DeliveryLog.name(item)
            await checkpoints.reach("started " + name)
            // a1 finishes only once b1 has started: the two keys are delivered at the same time.
            if name == "a1" { await checkpoints.wait(for: "started b1") }
            await log.end(item, delivered: true)
            return .delivered
        }
        try await worker.start()
        for name in ["a1", "a2", "a3"] { _ = try await enqueue(journal, key: "A", name) }
        for name in ["b1", "b2"] { _ = try await enqueue(journal, key: "B", name) }
        await worker.wake()
        await worker.waitUntilEmpty()

        let delivered = await log.delivered
        #expect(delivered.filter { $0.hasPrefix("a") } == ["a1", "a2", "a3"])
        #expect(delivered.filter { $0.hasPrefix("b") } == ["b1", "b2"])
        #expect(await log.overlaps.isEmpty)
        #expect(await worker.counters == OutboxWorker.Counters(delivered: 5, retries: 0, rejected: 0, pending: 0))
        #expect(try await journal.pendingItems(limit: 10).isEmpty)
        await worker.drain()
    }

    @Test func failuresAreRetriedWithBackoffRejectionsAreKeptOtherKindsWait() async throws {
        let journal = try EventJournal(path: path)
        let worker = OutboxWorker(journal: journal, policy: Self.quick, concurrency: 2, logger: logger, jitter: { 0.5 })
        let log = DeliveryLog()
        await worker.register(kind: "test") { item in
            let attempt = await log.begin(item)
            let name = DeliveryLog.name(item)
            let result: OutboxResult =
                switch name {
                case "flaky" where attempt < 4: .retry("503 Service Unavailable (attempt \(attempt))")
                case "bad": .reject("403 AccessDenied")
                default: .delivered
                }
            await log.end(item, delivered: result == .delivered)
            return result
        }
        try await worker.start()
        let flaky = try await enqueue(journal, key: "A", "flaky")
        let after = try await enqueue(journal, key: "A", "after-flaky")
        let bad = try await enqueue(journal, key: "B", "bad")
        let afterBad = try await enqueue(journal, key: "B", "after-bad")
        let foreign = try await enqueue(journal, kind: "nobody-handles-this", key: "A", "foreign")
        await worker.wake()
        await worker.waitUntilEmpty()

        let delivered = await log.delivered
        #expect(delivered.filter { $0 == "flaky" || $0.hasPrefix("after") }.count == 3)
        #expect(delivered.filter { $0 == "flaky" || $0 == "after-flaky" } == ["flaky", "after-flaky"])
        let flakyItem = try #require(try await journal.outboxItem(id: flaky.id))
        #expect(flakyItem.state == .delivered && flakyItem.attempts == 4)
        #expect(flakyItem.lastError == "503 Service Unavailable (attempt 3)")
        // Exponential: after attempt 3 the delay was 80 ms (20, 40, 80): the item waited that long at least.
        #expect(try #require(flakyItem.finishedAt).timeIntervalSince(flakyItem.createdAt) >= 0.14)
        let badItem = try #require(try await journal.outboxItem(id: bad.id))
        #expect(badItem.state == .rejected && badItem.attempts == 1 && badItem.lastError == "403 AccessDenied")
        #expect(try await journal.outboxItem(id: after.id)?.state == .delivered)
        #expect(try await journal.outboxItem(id: afterBad.id)?.state == .delivered)
        #expect(try await journal.pendingItems(limit: 10).map(\.id) == [foreign.id], "no handler: it waits")
        #expect(await worker.counters == OutboxWorker.Counters(delivered: 3, retries: 3, rejected: 1, pending: 1))
        await worker.drain()
    }

    @Test func aNewWorkerOnTheSameJournalPicksUpWhatThePreviousLeftPending() async throws {
        let id: Int64
        let attemptsBefore: Int
        do {
            let journal = try EventJournal(path: path)
            let worker = OutboxWorker(journal: journal, policy: Self.quick, concurrency: 1, logger: logger)
            let log = DeliveryLog()
            let checkpoints = Checkpoints()
            await worker.register(kind: "test") { item in
                if await log.begin(item) == 3 { await checkpoints.reach("third attempt") }
                await log.end(item, delivered: false)
                return .retry("connection refused")
            }
            try await worker.start()
            id = try await enqueue(journal, key: "r1", "upload").id
            await worker.wake()
            // Retried until it counts as stuck (more than 2 attempts), then the process stops.
            await checkpoints.wait(for: "third attempt")
            await worker.drain()
            let stuck = try await worker.stuckItems()
            #expect(stuck.map(\.0.id) == [id])
            if case .tooManyAttempts(let attempts) = stuck.first?.1 { #expect(attempts >= 3) } else { Issue.record("\(stuck)") }
            attemptsBefore = try #require(try await journal.outboxItem(id: id)).attempts
        }
        let journal = try await EventJournal.open(path: path)
        let pending = try #require(try await journal.outboxItem(id: id))
        #expect(pending.state == .pending && pending.lastError == "connection refused")

        let worker = OutboxWorker(journal: journal, policy: Self.quick, concurrency: 1, logger: logger)
        let log = DeliveryLog()
        await worker.register(kind: "test") { item in
            _ = await log.begin(item)
            await log.end(item, delivered: true)
            return .delivered
        }
        try await worker.start()
        await worker.waitUntilEmpty()
        #expect(await log.delivered == ["upload"])
        let delivered = try #require(try await journal.outboxItem(id: id))
        #expect(delivered.state == .delivered && delivered.attempts == attemptsBefore + 1)
        await worker.drain()
    }

    @Test func drainLetsTheDeliveryInFlightFinishAndLeavesTheRestPending() async throws {
        let journal = try EventJournal(path: path)
        let worker = OutboxWorker(journal: journal, policy: Self.quick, concurrency: 1, logger: logger)
        let checkpoints = Checkpoints()
        await worker.register(kind: "test") { item in
            await checkpoints.reach("started " + DeliveryLog.name(item))
            await checkpoints.wait(for: "release")
            return .delivered
        }
        let first = try await enqueue(journal, key: "A", "first")
        let second = try await enqueue(journal, key: "B", "second")
        try await worker.start()
        await checkpoints.wait(for: "started first")
        let draining = Task { await worker.drain() }
        await checkpoints.reach("release")
        await draining.value

        #expect(try await journal.outboxItem(id: first.id)?.state == .delivered)
        let untouched = try #require(try await journal.outboxItem(id: second.id))
        #expect(untouched.state == .pending && untouched.attempts == 0)
        #expect(try await journal.dueItems(at: Date(), limit: 10).map(\.id) == [second.id], "nothing left in flight")
    }
}
