import Foundation
import NetRavenAgent
import NetRavenCore
import NetRavenGit
import NetRavenJournal

/// The JSON shapes of the API (encoded with snake_case keys; see docs/openapi.yaml).
enum APIModels {
    struct Failure: Encodable {
        var `class`: String
        var reason: String?
        var at: Date?
        var job: String
    }

    struct Verdict: Encodable {
        var kind: String
        var reasons: [ChangeVerdict.Reason]
    }

    struct DeviceView: Encodable {
        var name: String
        var group: String
        var platform: String
        var state: String
        var lastCapture: Date?
        var lastChange: Date?
        var lastVerdict: Verdict?
        var lastFailure: Failure?
        var lastJob: String?

        /// Absent values are written as null, so every device has every key.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(group, forKey: .group)
            try container.encode(platform, forKey: .platform)
            try container.encode(state, forKey: .state)
            try container.encode(lastCapture, forKey: .lastCapture)
            try container.encode(lastChange, forKey: .lastChange)
            try container.encode(lastVerdict, forKey: .lastVerdict)
            try container.encode(lastFailure, forKey: .lastFailure)
            try container.encode(lastJob, forKey: .lastJob)
        }

        enum CodingKeys: String, CodingKey {
            case name, group, platform, state, lastCapture, lastChange, lastVerdict, lastFailure, lastJob
        }
    }

    struct DeviceDetail: Encodable {
        var device: DeviceView
        var host: String
        var port: Int
        var tags: [String]
        var latestVersion: VersionView?
        var recentJobs: [JobSummary]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(device, forKey: .device)
            try container.encode(host, forKey: .host)
            try container.encode(port, forKey: .port)
            try container.encode(tags, forKey: .tags)
            try container.encode(latestVersion, forKey: .latestVersion)
            try container.encode(recentJobs, forKey: .recentJobs)
        }

        enum CodingKeys: String, CodingKey { case device, host, port, tags, latestVersion, recentJobs }
    }

    struct DeviceList: Encodable {
        var devices: [DeviceView]
    }

    struct VersionView: Encodable {
        var commit: String
        var shortCommit: String
        var date: Date
        var summary: String
        var author: String
        var trigger: String?
        var changedBy: String?
        var job: String?
    }

    struct VersionPage: Encodable {
        var device: String
        var versions: [VersionView]
        var nextOffset: Int?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(device, forKey: .device)
            try container.encode(versions, forKey: .versions)
            try container.encode(nextOffset, forKey: .nextOffset)
        }

        enum CodingKeys: String, CodingKey { case device, versions, nextOffset }
    }

    struct JobSummary: Encodable {
        var id: String
        var device: String
        var trigger: String
        var state: String
        var createdAt: Date?
        var startedAt: Date?
        var finishedAt: Date?
        var attempts: Int
        var commit: String?
        var failureClass: String?
        var failureReason: String?
    }

    struct JobDetail: Encodable {
        var job: JobSummary
        var events: [EventView]
    }

    struct EventView: Encodable {
        var id: String
        var device: String
        var kind: String
        var change: String?
        var user: String?
        var source: String?
        var time: Date
        var deviceCommit: String?
        var rule: String?
        var raw: String?
        var peer: String?
        var transport: String?
        var receivedAt: Date?
        var jobs: [String]?
    }

    struct EventPageView: Encodable {
        var events: [EventView]
        var nextBefore: Int64?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(events, forKey: .events)
            try container.encode(nextBefore, forKey: .nextBefore)
        }

        enum CodingKeys: String, CodingKey { case events, nextBefore }
    }

    struct CaptureAccepted: Encodable {
        var device: String
        /// The job that will capture the device; nil while events for it are still debouncing.
        var job: String?
        var state: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(device, forKey: .device)
            try container.encode(job, forKey: .job)
            try container.encode(state, forKey: .state)
        }

        enum CodingKeys: String, CodingKey { case device, job, state }
    }

    struct SweepAccepted: Encodable {
        var captures: [CaptureAccepted]
    }

    struct Readiness: Encodable {
        var ready: Bool
        var checks: [String: String]
    }

    struct LoginLink: Encodable {
        var url: String
        var expiresAt: Date
    }

    // MARK: Conversions

    static func version(_ commit: ArchiveCommit) -> VersionView {
        VersionView(
            commit: commit.id, shortCommit: commit.shortID, date: commit.committer.date, summary: commit.summary,
            author: commit.author.name, trigger: commit.trailer("Trigger"), changedBy: commit.trailer("Changed-By"),
            job: commit.trailer("Job-Id"))
    }

    static func job(_ job: JournaledJob) -> JobSummary {
        JobSummary(
            id: job.id, device: job.device, trigger: job.trigger.rawValue, state: job.state.rawValue,
            createdAt: job.createdAt, startedAt: job.startedAt, finishedAt: job.finishedAt, attempts: job.attempts,
            commit: job.commit, failureClass: job.failureCode, failureReason: job.failureReason)
    }

    static func event(_ event: ChangeEvent, journaled: JournaledEvent? = nil) -> EventView {
        EventView(
            id: event.id, device: event.device, kind: event.kind.rawValue, change: event.change?.rawValue,
            user: event.user, source: event.source, time: event.time, deviceCommit: event.commit, rule: event.rule,
            raw: event.raw.map { SecretRedactor.shared.redact($0) }, peer: journaled?.peer,
            transport: journaled?.transport, receivedAt: journaled?.receivedAt, jobs: journaled?.jobIDs)
    }

    static func state(_ state: DebounceStateMachine<ContinuousClock.Instant>.DeviceState) -> String {
        switch state {
        case .idle: "idle"
        case .debouncing: "debouncing"
        case .queued: "queued"
        case .running: "running"
        }
    }

    static func device(
        _ device: Device, summary: DeviceJobSummary?, state: DebounceStateMachine<ContinuousClock.Instant>.DeviceState
    ) -> DeviceView {
        var failure: Failure?
        if let job = summary?.lastJob, job.state == .failed {
            failure = Failure(
                class: job.failureCode ?? "unknown", reason: job.failureReason, at: job.finishedAt, job: job.id)
        }
        var verdict: Verdict?
        if let kind = summary?.lastVerdict {
            let reasons = summary?.lastVerdictReasons.flatMap {
                try? JSONDecoder().decode([ChangeVerdict.Reason].self, from: Data($0.utf8))
            }
            verdict = Verdict(kind: kind, reasons: reasons ?? [])
        }
        return DeviceView(
            name: device.name, group: device.group, platform: device.platform, state: Self.state(state),
            lastCapture: summary?.lastCapture, lastChange: summary?.lastChange, lastVerdict: verdict,
            lastFailure: failure, lastJob: summary?.lastJob?.id)
    }
}
