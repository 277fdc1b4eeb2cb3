import Synchronization
import ArgumentParser
import Foundation
import Logging
import NetRavenAgent
import NetRavenCore

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
