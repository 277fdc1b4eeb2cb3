import Foundation
import Logging
import NetRavenAgent
import NetRavenCore
import NetRavenJournal
import NetRavenLab
import NetRavenTestSupport
import Testing

/// The daemon's capture loop on the real pieces: lab devices over SSH, the Git archive, the SQLite journal.
@Suite struct CaptureCoordinatorTests {
    /// Debounce short enough for a test; the timing logic itself is tested with a manual clock.
    static let debounce = DebounceSettings(
        quietPeriod: .milliseconds(300), maximumDelay: .seconds(5), recheckDelay: .milliseconds(300), concurrency: 8)

    func withCoordinator<T>(
        _ setup: LabSetup, debounce: DebounceSettings = Self.debounce,
        _ body: (CaptureCoordinator, EventJournal, CaptureService) async throws -> T
    ) async throws -> T {
        try await withService(setup.configuration) { service in
            let journal = try await EventJournal.open(path: service.layout.journal)
            var logger = Logger(label: "test")
            logger.logLevel = .warning
            let coordinator = CaptureCoordinator(
                service: service, journal: journal, settings: debounce, logger: logger)
            let result = try await body(coordinator, journal, service)
            await coordinator.drain()
            return result
        }
    }

    static func event(_ id: String, _ device: String, kind: TriggerKind, user: String, source: String) -> ChangeEvent {
        ChangeEvent(
            id: id, kind: kind, device: device, user: user, source: source, time: Date(),
            raw: "%SYS-5-CONFIG_I: Configured from console by \(user) on vty0 (\(source))", change: .committed,
            rule: "test")
    }

    @Test func syslogAndTrapForOneChangeBecomeOneCommitByThatUser() async throws {
        // Two journal writes (each fsync'd) must land within one quiet period, also on a loaded machine.
        let patient = DebounceSettings(
            quietPeriod: .seconds(3), maximumDelay: .seconds(20), recheckDelay: .milliseconds(300), concurrency: 8)
        try await withLab(devices: 2) { setup in
            try await withCoordinator(setup, debounce: patient) { coordinator, journal, service in
                // A first version to compare against.
                _ = await coordinator.request(device: "r1", trigger: .sweep)
                await coordinator.waitUntilIdle()
                setup.device("r1").applyChange(LabConfigChange(user: "alice", source: "10.1.1.5", add: ["ntp server 10.9.9.9"]))
                try await coordinator.submit(Self.event("ev-1", "r1", kind: .syslog, user: "alice", source: "10.1.1.5"), peer: "127.0.0.1", transport: "udp")
                try await coordinator.submit(Self.event("ev-2", "r1", kind: .trap, user: "alice", source: "10.1.1.5"), peer: "127.0.0.1", transport: "snmp")
                await coordinator.waitUntilIdle()

                let path = try service.layout.configPath(for: setup.configuration.devices[0])
                let history = try await service.archive.history(path: path)
                #expect(history.count == 2)
                let head = try #require(history.first)
                #expect(head.author.name == "alice")
                #expect(head.trailer("Changed-By") == "alice")
                #expect(head.trailer("Changed-From") == "10.1.1.5")
                #expect(head.trailers.filter { $0.key == "Event-Id" }.map(\.value) == ["ev-1", "ev-2"])
                #expect(head.trailer("Trigger") == "syslog")

                let jobs = try await journal.jobs(device: "r1", state: nil, limit: 10)
                #expect(jobs.map(\.state) == [.committed, .committed])
                #expect(jobs.first?.eventIDs == ["ev-1", "ev-2"])
                #expect(jobs.first.map { head.trailer("Job-Id") == $0.id } == true)
                #expect(try await journal.unfinishedWork().isEmpty)
                // The same event again (a retransmitted inform) is recognised, not captured twice.
                #expect(try await coordinator.submit(Self.event("ev-1", "r1", kind: .syslog, user: "alice", source: "x"), peer: nil, transport: nil) == false)
            }
        }
    }

    @Test func anEventDuringCollectionLeadsToASecondCapture() async throws {
        try await withLab(devices: 1) { setup in
            try await withCoordinator(setup) { coordinator, journal, _ in
                let device = setup.device("r1")
                device.setFaults(LabFaults(slowMs: 400))
                try await coordinator.submit(Self.event("first", "r1", kind: .syslog, user: "bob", source: "vty0"), peer: nil, transport: "udp")
                // Wait (generously) until the capture is under way, then change the device again.
                let deadline = ContinuousClock.now + .seconds(60)
                while ContinuousClock.now < deadline {
                    if case .running = await coordinator.state(of: "r1") { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                guard case .running = await coordinator.state(of: "r1") else {
                    Issue.record("the capture never started")
                    return
                }
                device.applyChange(LabConfigChange(user: "carol", add: ["logging host 10.2.2.2"]))
                try await coordinator.submit(Self.event("second", "r1", kind: .syslog, user: "carol", source: "vty1"), peer: nil, transport: "udp")
                if case .running(_, let dirty) = await coordinator.state(of: "r1") { #expect(dirty == 1) }
                await coordinator.waitUntilIdle()

                let jobs = try await journal.jobs(device: "r1", state: nil, limit: 10).sorted { $0.createdAt < $1.createdAt }
                #expect(jobs.count == 2, "\(jobs)")
                #expect(jobs.map(\.eventIDs) == [["first"], ["second"]])
                #expect(jobs.first?.state == .committed)
                // The first capture may already have seen carol's change; then the second finds nothing new.
                #expect(jobs.last.map { [.committed, .unchanged].contains($0.state) } == true)
            }
        }
    }

    @Test func unfinishedWorkInTheJournalIsResumed() async throws {
        try await withLab(devices: 2) { setup in
            // A previous run accepted two events and started a job for one of them, then died.
            let state = setup.configuration.settings.stateDirectory
            let journalPath = ArchiveLayout(stateDirectory: state, pathTemplate: setup.configuration.settings.archive.pathTemplate).journal
            do {
                let journal = try await EventJournal.open(path: journalPath)
                try await journal.record(Self.event("a", "r1", kind: .syslog, user: "dave", source: "vty0"), peer: nil, transport: "tcp")
                try await journal.record(Self.event("b", "r2", kind: .trap, user: "erin", source: "10.0.0.9"), peer: nil, transport: "snmp")
                try await journal.createJob(id: "crashed-job", device: "r1", trigger: .syslog, eventIDs: ["a"], at: Date())
                try await journal.markRunning(job: "crashed-job", at: Date())
            }
            try await withCoordinator(setup) { coordinator, journal, _ in
                let resumed = try await coordinator.resume()
                #expect(resumed.jobs == 1 && resumed.events == 1)
                await coordinator.waitUntilIdle()
                let jobs = try await journal.jobs(device: nil, state: nil, limit: 10)
                let crashed = try #require(jobs.first { $0.id == "crashed-job" })
                #expect(crashed.state == .committed)
                #expect(crashed.attempts == 2)
                #expect(jobs.contains { $0.device == "r2" && $0.eventIDs == ["b"] && $0.state == .committed })
                #expect(try await journal.unfinishedWork().isEmpty)
            }
        }
    }

    @Test func scheduledSweepsCaptureEveryDeviceWithTriggerSweep() async throws {
        try await withLab(devices: 2) { setup in
            try await withCoordinator(setup) { coordinator, journal, _ in
                var logger = Logger(label: "test")
                logger.logLevel = .warning
                // An interval far below what configuration allows (1m), so the test sees two runs quickly.
                let sweep = SweepSettings(schedule: SweepSchedule(timing: .interval(.seconds(1))))
                let devices = setup.configuration.devices
                let scheduler = SweepScheduler(coordinator: coordinator, logger: logger) { (sweep, devices) }
                let task = Task { await scheduler.run() }
                defer { task.cancel() }
                let deadline = ContinuousClock.now + .seconds(120)
                var jobs: [JournaledJob] = []
                while ContinuousClock.now < deadline {
                    jobs = try await journal.jobs(device: nil, state: nil, limit: 100).filter { $0.state.isFinished }
                    if Set(jobs.map(\.device)) == ["r1", "r2"], jobs.count >= 4 { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                task.cancel()
                #expect(Set(jobs.map(\.device)) == ["r1", "r2"])
                #expect(jobs.count >= 4, "two runs of the schedule: \(jobs)")
                #expect(jobs.allSatisfy { $0.trigger == .sweep })
                // The first run committed both devices; later runs found nothing new.
                #expect(jobs.filter { $0.state == .committed }.count == 2)
                #expect(jobs.filter { $0.state == .unchanged }.count == jobs.count - 2)
            }
        }
    }

    @Test func aJournaledEventForADeviceGoneFromTheInventoryStaysJournaled() async throws {
        try await withLab(devices: 1) { setup in
            try await withCoordinator(setup) { coordinator, journal, _ in
                try await journal.record(Self.event("old", "gone", kind: .syslog, user: "x", source: "vty0"), peer: nil, transport: "udp")
                let resumed = try await coordinator.resume()
                #expect(resumed.events == 1)
                await coordinator.waitUntilIdle()
                #expect(try await journal.jobs(device: "gone", state: nil, limit: 10).isEmpty)
                #expect(try await journal.unfinishedWork().orphanEvents.map(\.id) == ["old"], "kept, not dropped")
                #expect(await coordinator.state(of: "gone") == .idle)
            }
        }
    }
}
