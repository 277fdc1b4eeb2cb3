import Foundation
import NetRavenAgent
import NetRavenCore
import NetRavenGit
import NetRavenJournal
import Synchronization

/// The questions the API and the web page ask of the daemon, answered through its own objects; input is checked
/// here so both front ends give the same answers and the same errors.
struct StatusQueries: Sendable {
    let backend: APIBackend
    /// Jobs asked for through the API that may not be in the journal yet (a job is journaled when it starts).
    let requested = RequestedJobs()

    // MARK: Devices

    func device(named name: String) throws -> Device {
        guard let device = backend.service.configuration.device(named: name) else {
            throw APIError(.notFound, "no device named '\(name)' in the inventory")
        }
        return device
    }

    func archivePath(of device: Device) throws -> String {
        do {
            return try backend.service.layout.configPath(for: device)
        } catch {
            throw APIError(.internalError, "no archive path for \(device.name): \(error)")
        }
    }

    func devices() async throws -> [APIModels.DeviceView] {
        let summaries = try await journalCall { try await backend.journal.deviceSummaries() }
        var views: [APIModels.DeviceView] = []
        for device in backend.service.configuration.devices {
            let state = await backend.coordinator.state(of: device.name)
            views.append(APIModels.device(device, summary: summaries[device.name], state: state))
        }
        return views
    }

    func detail(of name: String) async throws -> APIModels.DeviceDetail {
        let device = try device(named: name)
        let summaries = try await journalCall { try await backend.journal.deviceSummaries() }
        let state = await backend.coordinator.state(of: device.name)
        let latest = try await versions(of: device, offset: 0, limit: 1).versions.first
        let jobs = try await journalCall { try await backend.journal.jobs(device: device.name, state: nil, limit: 10) }
        return APIModels.DeviceDetail(
            device: APIModels.device(device, summary: summaries[device.name], state: state), host: device.host,
            port: device.port, tags: device.tags, latestVersion: latest, recentJobs: jobs.map(APIModels.job))
    }

    // MARK: Archive

    func versions(of device: Device, offset: Int, limit: Int) async throws -> APIModels.VersionPage {
        let path = try archivePath(of: device)
        // The version index lists newest first; one more than the page tells whether another page follows.
        let commits = try await archiveCall {
            try await backend.service.versions.history(path: path, limit: offset + limit + 1)
        }
        let page = commits.dropFirst(offset).prefix(limit)
        return APIModels.VersionPage(
            device: device.name, versions: page.map(APIModels.version),
            nextOffset: commits.count > offset + limit ? offset + limit : nil)
    }

    func configuration(of device: Device, revision: String) async throws -> String {
        let revision = try Self.checkRevision(revision, parameter: "rev")
        let path = try archivePath(of: device)
        guard
            let text = try await archiveCall({ try await backend.service.archive.read(path: path, revision: revision) })
        else {
            throw APIError(.notFound, "no stored configuration of \(device.name) at \(revision)")
        }
        return text
    }

    /// Unified diff; without `from`, against the version before `to`; without `to`, up to the latest.
    func diff(of device: Device, from: String?, to: String?) async throws -> String {
        let from = try from.map { try Self.checkRevision($0, parameter: "from") }
        let to = try to.map { try Self.checkRevision($0, parameter: "to") }
        let path = try archivePath(of: device)
        return try await archiveCall { try await backend.service.archive.diff(path: path, from: from, to: to) }
    }

    /// Revisions are commit ids or `HEAD`, `HEAD~2`, `HEAD^`: anything else is refused before it reaches libgit2.
    static func checkRevision(_ text: String, parameter: String) throws -> String {
        let allowed = Set("0123456789abcdefABCDEFHEAD~^")
        guard !text.isEmpty, text.count <= 64, text.allSatisfy({ allowed.contains($0) }) else {
            throw APIError(
                .badRequest,
                "\(parameter) must be a commit id (hex) or HEAD, HEAD~N, HEAD^; found '\(text.prefix(80))'")
        }
        return text
    }

    // MARK: Captures and jobs

    func capture(_ device: Device) async throws -> APIModels.CaptureAccepted {
        guard let outcome = await backend.coordinator.request(device: device.name, trigger: .api) else {
            throw APIError(.unavailable, "the daemon is shutting down and takes no new captures")
        }
        switch outcome {
        case .queued(let jobID):
            requested.add(jobID, device: device.name)
            return APIModels.CaptureAccepted(device: device.name, job: jobID, state: "queued")
        case .alreadyPending(let state):
            var job: String?
            if case .running(let id, _) = state { job = id }
            return APIModels.CaptureAccepted(device: device.name, job: job, state: APIModels.state(state))
        }
    }

    func job(id: String) async throws -> APIModels.JobDetail {
        guard id.count <= 64, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw APIError(.badRequest, "a job id is letters, digits, '-' and '_'")
        }
        if let job = try await journalCall({ try await backend.journal.job(id: id) }) {
            let events = try await journalCall { try await backend.journal.events(ofJob: id) }
            return APIModels.JobDetail(job: APIModels.job(job), events: events.map { APIModels.event($0) })
        }
        // Asked for here but not started yet: the journal holds it only from its start.
        if let device = requested.device(of: id) {
            let state = await backend.coordinator.state(of: device)
            let summary = APIModels.JobSummary(
                id: id, device: device, trigger: TriggerKind.api.rawValue,
                state: state == .idle ? "queued" : APIModels.state(state), attempts: 0)
            // It may have started between the two reads: the journal then has it.
            if let job = try await journalCall({ try await backend.journal.job(id: id) }) {
                return APIModels.JobDetail(job: APIModels.job(job), events: [])
            }
            return APIModels.JobDetail(job: summary, events: [])
        }
        throw APIError(.notFound, "no job with id '\(id)'")
    }

    // MARK: Errors

    private func journalCall<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as JournalError {
            throw APIError(.internalError, "the journal failed: \(error.message)")
        }
    }

    private func archiveCall<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ArchiveError {
            switch error.code {
            case .notFound, .invalidRevision: throw APIError(.notFound, error.message)
            case .invalidPath: throw APIError(.badRequest, error.message)
            default: throw APIError(.internalError, "the archive failed: \(error.message)")
            }
        }
    }
}

/// Job ids handed out by the API, remembered (the newest 1000) until the journal has them.
final class RequestedJobs: Sendable {
    private let jobs = Mutex<(devices: [String: String], order: [String])>(([:], []))

    func add(_ id: String, device: String) {
        jobs.withLock { table in
            table.devices[id] = device
            table.order.append(id)
            if table.order.count > 1000 {
                table.devices[table.order.removeFirst()] = nil
            }
        }
    }

    func device(of id: String) -> String? {
        jobs.withLock { $0.devices[id] }
    }
}
