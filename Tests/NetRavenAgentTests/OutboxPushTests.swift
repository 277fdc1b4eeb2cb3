import Foundation
import Logging
import NetRavenAgent
import NetRavenCore
import NetRavenJournal
import NetRavenLab
import Testing

/// The outage test for Git: a real bare remote goes away while the lab changes and the coordinator commits; the
/// pushes wait in the outbox with the reason; the remote comes back and receives every commit, also after a
/// restart of the coordinator and the worker (new instances on the same state directory).
@Suite(.timeLimit(.minutes(10))) struct OutboxPushTests {
    /// Retries every 100-400 ms, so the test sees several failed attempts and a quick recovery.
    static let policy = OutboxRetryPolicy(
        backoff: Backoff(initial: .milliseconds(100), maximum: .milliseconds(400), multiplier: 2, jitter: 0))

    /// A daemon's capture half: service, journal, coordinator and outbox worker on `configuration`'s state
    /// directory; drained and shut down afterwards, also when the body throws.
    func withCapturePipeline<T>(
        _ configuration: Configuration,
        _ body: (CaptureCoordinator, OutboxWorker, EventJournal, CaptureService) async throws -> T
    ) async throws -> T {
        try await withService(configuration) { service in
            let journal = try await EventJournal.open(path: service.layout.journal)
            var logger = Logger(label: "test")
            logger.logLevel = .critical  // failed pushes are logged on purpose here
            let worker = OutboxWorker(journal: journal, policy: Self.policy, concurrency: 2, logger: logger)
            let coordinator = CaptureCoordinator(
                service: service, journal: journal, settings: CaptureCoordinatorTests.debounce, logger: logger,
                outbox: worker)
            await worker.register(kind: OutboxKind.push) { await coordinator.deliverPush($0) }
            try await worker.start()
            do {
                let result = try await body(coordinator, worker, journal, service)
                await coordinator.drain()
                await worker.drain()
                return result
            } catch {
                await coordinator.drain()
                await worker.drain()
                throw error
            }
        }
    }

    /// Changes every device on the lab and captures it (a sweep finds the change), then waits for the captures.
    func changeAndCapture(_ setup: LabSetup, _ coordinator: CaptureCoordinator, line: String) async {
        for device in setup.configuration.devices {
            setup.device(device.name).applyChange(LabConfigChange(user: "jdoe", add: ["\(line) \(device.name)"]))
            _ = await coordinator.request(device: device.name, trigger: .sweep)
        }
        await coordinator.waitUntilIdle()
    }

    func remoteCommits(_ remote: String) throws -> Int {
        Int(try git(["--git-dir", remote, "rev-list", "--count", "main"]).trimmingCharacters(in: .whitespacesAndNewlines))
            ?? 0
    }

    @Test func pushesWaitThroughAnOutageAndAcrossARestartAndTheRemoteGetsEveryCommit() async throws {
        try await withLab(devices: 2, platforms: [.ciscoIOS]) { setup in
            let remote = setup.stateDirectory + "-remote.git"
            let away = remote + ".away"
            defer {
                try? FileManager.default.removeItem(atPath: remote)
                try? FileManager.default.removeItem(atPath: away)
            }
            _ = try git(["init", "--bare", "--quiet", "--initial-branch=main", remote])
            var configuration = setup.configuration
            configuration.settings.archive.remote = RemoteSettings(url: "file://" + remote)

            try await withCapturePipeline(configuration) { coordinator, worker, journal, service in
                // The first captures are pushed at once.
                await changeAndCapture(setup, coordinator, line: "snmp-server location rack-1")
                await worker.waitUntilEmpty()
                #expect(try remoteCommits(remote) == 2)

                // Outage: the remote is gone while both devices change and are committed.
                try FileManager.default.moveItem(atPath: remote, toPath: away)
                await changeAndCapture(setup, coordinator, line: "ntp server 192.0.2.7")
                await worker.waitUntilSettled()
                let pending = try await journal.pendingItems(limit: 10)
                #expect(!pending.isEmpty && pending.allSatisfy { $0.kind == OutboxKind.push && $0.key == "archive" })
                let failed = try #require(pending.first)
                #expect(failed.attempts >= 1)
                #expect(failed.lastError?.isEmpty == false, "the reason is kept: \(failed)")
                #expect(await coordinator.counters.pushFailures >= 1)
                #expect(try git(["--git-dir", away, "rev-list", "--count", "main"]).hasPrefix("2"))

                // The remote is back: the retry delivers both commits.
                try FileManager.default.moveItem(atPath: away, toPath: remote)
                await worker.waitUntilEmpty()
                let head = try #require(try await service.archive.head())
                #expect(try git(["--git-dir", remote, "rev-parse", "main"]).hasPrefix(head.id))
                #expect(try remoteCommits(remote) == 4)
                let recovered = try #require(try await journal.outboxItem(id: failed.id))
                #expect(recovered.state == .delivered && recovered.attempts >= 2 && recovered.lastError != nil)

                // A second outage, and the daemon stops while the pushes still fail.
                try FileManager.default.moveItem(atPath: remote, toPath: away)
                await changeAndCapture(setup, coordinator, line: "logging host 192.0.2.9")
                await worker.waitUntilSettled()
                #expect(try await journal.pendingItems(limit: 10).contains { $0.lastError != nil })
            }

            // Remote restored; new instances on the same state directory pick up the pending push.
            try FileManager.default.moveItem(atPath: away, toPath: remote)
            try await withCapturePipeline(configuration) { _, worker, journal, service in
                await worker.waitUntilEmpty()
                let head = try #require(try await service.archive.head())
                #expect(try git(["--git-dir", remote, "rev-parse", "main"]).hasPrefix(head.id))
                #expect(try remoteCommits(remote) == 6, "every commit, none lost")
                #expect(try await journal.pendingItems(limit: 10).isEmpty)
                #expect(try await journal.recentItems(limit: 20).allSatisfy { $0.state == .delivered })
            }
        }
    }
}
