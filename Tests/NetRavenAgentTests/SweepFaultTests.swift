import Foundation
import Logging
import NetRavenAgent
import NetRavenCore
import NetRavenJournal
import NetRavenLab
import Testing

/// Issue 6 fault test: one sweep over 12 lab devices of all four platforms, 8 of them broken at once in every way
/// the lab can break (hang at the shell, hang mid-output, drop mid-output, truncated output, rejected password,
/// changed host key). Both sweep paths: the CLI's (`CaptureService.capture`, its results are the sweep report)
/// and the daemon's (the coordinator, whose jobs are journaled). No faulty device gets a commit, every failure
/// has its class in the result and in the journal, the healthy devices are captured and the sweep ends.
@Suite struct SweepFaultTests {
    /// A fault, and the class the capture must report for it.
    struct Injected: Sendable {
        var update: LabFaultUpdate
        var expected: CaptureError.Code
    }

    /// Devices are assigned platforms round robin: r1 IOS, r2 NX-OS, r3 EOS, r4 Junos, r5 IOS, ...
    static let faults: [String: Injected] = [
        "r1": Injected(update: LabFaultUpdate(stallAfterBytes: 1200), expected: .timeout),
        "r2": Injected(update: LabFaultUpdate(hang: true), expected: .timeout),
        "r3": Injected(update: LabFaultUpdate(dropAfterBytes: 1200), expected: .connectionLost),
        "r4": Injected(update: LabFaultUpdate(truncateAfterBytes: 1000), expected: .truncatedOutput),
        "r5": Injected(update: LabFaultUpdate(truncateAfterBytes: 1500), expected: .truncatedOutput),
        "r6": Injected(update: LabFaultUpdate(rejectAuth: true), expected: .authenticationFailed),
        "r7": Injected(update: LabFaultUpdate(rotateHostKey: true), expected: .hostKeyChanged),
        "r8": Injected(update: LabFaultUpdate(dropAfterBytes: 900), expected: .connectionLost),
    ]

    /// Every device at once, so the hung ones cannot delay the others. The idle timeout is longer than the overall
    /// one, so the two hung devices end by their per-device overall timeout. Generous enough for a loaded 2-core
    /// machine: the test asserts classes, never durations.
    static let collection: CollectionSettings = {
        var settings = CollectionSettings.tests
        settings.concurrency = 12
        settings.connectTimeout = .seconds(15)
        settings.commandTimeout = .seconds(60)
        settings.overallTimeout = .seconds(20)
        return settings
    }()

    @Test func aSweepThroughEveryLabFaultCommitsNothingBadAndClassifiesEachFailure() async throws {
        try await withLab(devices: 12, collection: Self.collection) { setup in
            try await withService(setup.configuration) { service in
                let devices = setup.configuration.devices
                let requests = devices.map { CaptureRequest(device: $0, trigger: .sweep) }
                let paths = Dictionary(uniqueKeysWithValues: try devices.map { ($0.name, try service.layout.configPath(for: $0)) })

                // A clean first sweep: every device has a version and a known host key.
                let first = await service.capture(requests)
                let notCaptured = first.filter { !$0.isChanged }.map { "\($0.device): \($0.outcome)" }
                #expect(notCaptured.isEmpty, "\(notCaptured)")
                var baseline: [String: String] = [:]
                for device in devices { baseline[device.name] = try await service.archive.read(path: paths[device.name]!) }

                // Every device changes (so a faulty one would have something to commit), then the faults go in.
                func changeEveryDevice(_ round: Int) {
                    for device in devices {
                        let line = device.platform == "juniper_junos"
                            ? "set system ntp server 10.66.\(round).1" : "ntp server 10.66.\(round).1"
                        setup.device(device.name).applyChange(LabConfigChange(user: "eng\(round)", add: [line]))
                    }
                }
                changeEveryDevice(1)
                for (name, fault) in Self.faults { _ = try setup.device(name).update(faults: fault.update) }

                // The CLI's sweep: its results are the report `netraven sweep` prints.
                let second = await service.capture(requests)
                #expect(second.count == devices.count, "the sweep ended with a result for every device")
                for result in second {
                    if let fault = Self.faults[result.device] {
                        #expect(result.failureClass == fault.expected, "\(result.device): \(result.outcome)")
                    } else {
                        #expect(result.isChanged, "healthy \(result.device): \(result.outcome)")
                    }
                }
                try await expectArchive(service, paths: paths, baseline: baseline, healthyVersions: 2)

                // The daemon's sweep (what SweepScheduler asks for): the same through the coordinator, journaled.
                changeEveryDevice(2)
                let journal = try await EventJournal.open(path: service.layout.journal)
                var logger = Logger(label: "test")
                logger.logLevel = .critical  // the failures are logged on purpose here
                let coordinator = CaptureCoordinator(
                    service: service, journal: journal, settings: CaptureCoordinatorTests.debounce, logger: logger)
                for device in devices { _ = await coordinator.request(device: device.name, trigger: .sweep) }
                await coordinator.waitUntilIdle()
                #expect(try await journal.unfinishedWork().isEmpty, "the sweep ended: no job left queued or running")
                for device in devices {
                    let jobs = try await journal.jobs(device: device.name, state: nil, limit: 10)
                    let job = try #require(jobs.first, "\(device.name) has a journaled job")
                    #expect(jobs.count == 1 && job.trigger == .sweep)
                    if let fault = Self.faults[device.name] {
                        #expect(job.state == .failed, "\(device.name): \(job)")
                        #expect(job.failureCode == fault.expected.description, "\(device.name): \(job)")
                        #expect(job.failureReason?.isEmpty == false && job.commit == nil)
                    } else {
                        #expect(job.state == .committed && job.commit != nil, "healthy \(device.name): \(job)")
                    }
                }
                await coordinator.drain()
                try await expectArchive(service, paths: paths, baseline: baseline, healthyVersions: 3)
            }
        }
    }

    /// Faulty devices still have exactly their first version; healthy ones have `healthyVersions`, the newest a
    /// complete configuration.
    func expectArchive(
        _ service: CaptureService, paths: [String: String], baseline: [String: String], healthyVersions: Int
    ) async throws {
        for (name, path) in paths.sorted(by: { $0.key < $1.key }) {
            let history = try await service.archive.history(path: path)
            let current = try await service.archive.read(path: path)
            if Self.faults[name] != nil {
                #expect(history.count == 1, "\(name) (faulty) must keep its previous version: \(history.count)")
                #expect(current == baseline[name], "\(name): the stored configuration is untouched")
            } else {
                #expect(history.count == healthyVersions, "\(name): \(history.count) versions")
                let newest = current ?? ""
                #expect(newest.contains("10.66.\(healthyVersions - 1).1"), "\(name) has the newest change")
                #expect(newest.utf8.count >= (baseline[name] ?? "").utf8.count, "\(name) is not cut short")
            }
        }
    }
}
