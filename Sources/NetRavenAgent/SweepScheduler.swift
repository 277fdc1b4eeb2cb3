import Foundation
public import Logging
public import NetRavenCore

/// Runs scheduled sweeps: at each schedule's time, asks the coordinator to capture the devices it covers. The
/// coordinator skips devices already debouncing, queued or running, so a sweep never doubles a capture.
///
/// Waits on the wall clock (cron times are wall-clock times) in steps of at most a minute, so a clock step
/// (NTP, suspend) delays a run by at most that much.
public struct SweepScheduler: Sendable {
    let coordinator: CaptureCoordinator
    let settings: @Sendable () async -> (SweepSettings, [Device])
    let logger: Logger

    /// `settings` is read again after each run, so a reload (SIGHUP) takes effect from the next run on.
    public init(
        coordinator: CaptureCoordinator, logger: Logger,
        settings: @escaping @Sendable () async -> (SweepSettings, [Device])
    ) {
        self.coordinator = coordinator
        self.settings = settings
        self.logger = logger
    }

    /// Runs until the task is cancelled.
    public func run() async {
        var timetable = SweepTimetable()
        var generator = SystemRandomNumberGenerator()
        while !Task.isCancelled {
            let (sweepSettings, devices) = await settings()
            let now = Date()
            let (due, nextRun) = timetable.due(
                SweepPlan(settings: sweepSettings, devices: devices), at: now, using: &generator)
            for entry in due { await sweep(entry) }
            // Wake at the next run, but at least once a minute to notice clock steps and reloads.
            let wait = min(max((nextRun ?? now.addingTimeInterval(60)).timeIntervalSince(Date()), 0.05), 60)
            do {
                try await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
            } catch {
                return
            }
        }
    }

    private func sweep(_ entry: SweepPlan.Entry) async {
        var queued = 0
        var skipped = 0
        for device in entry.devices {
            switch await coordinator.request(device: device, trigger: .sweep) {
            case .queued?: queued += 1
            case .alreadyPending?, nil: skipped += 1
            }
        }
        logger.notice(
            "scheduled sweep",
            metadata: [
                "group": "\(entry.group ?? "*")", "schedule": "\(entry.schedule)", "queued": "\(queued)",
                "already_pending": "\(skipped)",
            ])
    }
}
