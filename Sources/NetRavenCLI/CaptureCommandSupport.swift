import Synchronization
import ArgumentParser
import Foundation
import Logging
import NetRavenAgent
import NetRavenCore
import NetRavenJournal

/// Shared by `backup` and `sweep`: run the captures, report them, push, and pick the exit status.
enum CaptureCommandSupport {
    static func run(
        global: GlobalOptions, configuration: Configuration, devices: [Device], trigger: TriggerKind, dryRun: Bool,
        showProgress: Bool
    ) async throws {
        let logger = Logger(label: "netraven")
        let service: CaptureService
        do {
            service = try CaptureService(configuration: configuration, logger: logger)
        } catch {
            Output.error("netraven: \(error)")
            throw ExitCode(ExitStatus.usage)
        }
        let report = CaptureReport(json: global.json)
        let started = ContinuousClock.now
        let progress = ProgressLine(total: devices.count, enabled: showProgress && !global.json)
        let results = await service.capture(
            devices.map { CaptureRequest(device: $0, trigger: trigger) }, dryRun: dryRun
        ) { result in
            progress.clear()
            Output.line(report.line(for: result))
            progress.advance()
        }
        progress.finish()
        let push = dryRun ? PushStatus.notConfigured : await service.push()
        if !dryRun {
            await ship(results, devices: devices, trigger: trigger, configuration: configuration, service: service)
        }
        await service.shutdown()
        for line in report.summary(results, push: push, seconds: (ContinuousClock.now - started).seconds) {
            Output.line(line)
        }
        if results.contains(where: \.failed) {
            throw ExitCode(ExitStatus.partialFailure)
        }
        if case .failed = push {
            throw ExitCode(ExitStatus.partialFailure)
        }
    }
}

extension CaptureCommandSupport {
    /// Uploads to S3 and alerts, as the daemon does after each capture: journaled in the outbox, then delivered by a
    /// worker until nothing is due now. What fails waits in the outbox for the next run or the daemon
    /// (`netraven outbox` lists it). Nothing to do when neither S3 nor alert destinations are configured.
    static func ship(
        _ results: [CaptureResult], devices: [Device], trigger: TriggerKind, configuration: Configuration,
        service: CaptureService
    ) async {
        guard configuration.s3 != nil || !configuration.alerts.destinations.isEmpty else { return }
        let logger = Logger(label: "netraven")
        do {
            let journal = try await EventJournal.open(path: service.layout.journal)
            let outbox = OutboxWorker(
                journal: journal, policy: configuration.settings.outbox.retry,
                concurrency: configuration.settings.outbox.concurrency, logger: logger)
            let shipping = try await Shipping.start(
                configuration: configuration, journal: journal, service: service, outbox: outbox, logger: logger,
                groupAlerts: false)
            let byName = Dictionary(devices.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            for result in results {
                guard let device = byName[result.device] else { continue }
                await shipping.followUp.handle(.init(device: device, trigger: trigger, events: [], result: result))
            }
            try await outbox.start()
            await outbox.waitUntilSettled()
            await outbox.drain()
            try? await shipping.dispatcher.shutdown()
        } catch {
            Output.error("netraven: uploads and alerts stay in the outbox for the next run: \(error)")
        }
    }
}

/// A one-line progress bar on a terminal's stderr; nothing when stderr is not a terminal.
final class ProgressLine: Sendable {
    private let total: Int
    private let enabled: Bool
    private let done = Mutex(0)

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled && isatty(STDERR_FILENO) == 1 && total > 1
    }

    func advance() {
        let count = done.withLock { value in
            value += 1
            return value
        }
        guard enabled else { return }
        let width = 30
        let filled = total == 0 ? width : width * count / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(count)/\(total)".utf8))
    }

    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    func finish() {
        clear()
    }
}
