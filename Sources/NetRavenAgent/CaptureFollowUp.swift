import Foundation
public import Logging
public import NetRavenCore
public import NetRavenJournal
import NetRavenMetrics
import NetRavenS3

/// What happens after a capture job ended: S3 uploads of committed versions and alerts (change verdicts, failure
/// streaks), each journaled in the outbox before this returns, so a crash after the commit loses neither.
public struct CaptureFollowUp: Sendable {
    /// One ended capture.
    public struct Finished: Sendable {
        public var device: Device
        public var trigger: TriggerKind
        public var events: [ChangeEvent]
        public var result: CaptureResult

        public init(device: Device, trigger: TriggerKind, events: [ChangeEvent], result: CaptureResult) {
            self.device = device
            self.trigger = trigger
            self.events = events
            self.result = result
        }
    }

    let journal: EventJournal
    let service: CaptureService
    let alerts: AlertCenter?
    let uploadsEnabled: Bool
    let wake: @Sendable () async -> Void
    let logger: Logger

    public init(
        journal: EventJournal, service: CaptureService, alerts: AlertCenter?, uploadsEnabled: Bool, logger: Logger,
        wake: @escaping @Sendable () async -> Void
    ) {
        self.journal = journal
        self.service = service
        self.alerts = alerts
        self.uploadsEnabled = uploadsEnabled
        self.logger = logger
        self.wake = wake
    }

    /// Journals the uploads and routes the alerts of one ended capture.
    public func handle(_ finished: Finished) async {
        var log = logger
        log[metadataKey: "job"] = "\(finished.result.jobID)"
        log[metadataKey: "device"] = "\(finished.device.name)"
        let now = Date()
        switch finished.result.outcome {
        case .changed(let commit, _, _, _):
            guard let commit, let path = try? service.layout.configPath(for: finished.device) else { return }
            let fullCommit = finished.result.commitID ?? commit
            if uploadsEnabled {
                let upload = VersionUpload(
                    device: finished.device.name, devicePath: S3ObjectLayout.devicePath(forArchivePath: path),
                    commit: fullCommit, trigger: finished.trigger.rawValue,
                    user: finished.events.last { $0.user != nil }?.user, committedAt: now,
                    source: .archive(repository: service.layout.repositoryPath, path: path))
                do {
                    try await journal.enqueue(kind: OutboxKind.s3Upload, key: finished.device.name, request: upload)
                    log.info("upload queued", metadata: ["commit": "\(commit)"])
                } catch {
                    log.error("upload could not be journaled", metadata: ["reason": "\(error)"])
                }
            }
            if let alerts, let verdict = finished.result.verdict, !(await alerts.isSilent) {
                let diff = try? await service.archive.diff(path: path, to: fullCommit)
                await alerts.changeCommitted(
                    device: finished.device, verdict: verdict, events: finished.events, commit: fullCommit, diff: diff,
                    at: now)
            }
        case .unchanged:
            await alerts?.captureSucceeded(device: finished.device, at: now)
        case .failed(let error):
            await alerts?.captureFailed(device: finished.device, code: "\(error.code)", detail: error.message, at: now)
        }
        await wake()
    }
}
