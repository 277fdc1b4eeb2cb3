import Foundation
import Synchronization
public import Logging
public import NetRavenCore
public import NetRavenGit
import NetRavenSSH
import NetRavenMetrics

/// One capture request: a device and why it is captured.
public struct CaptureRequest: Sendable {
    public var device: Device
    public var trigger: TriggerKind
    public var events: [ChangeEvent]
    /// The job id to log and commit under (the daemon's journal names it); nil = a new one.
    public var jobID: String?

    public init(device: Device, trigger: TriggerKind, events: [ChangeEvent] = [], jobID: String? = nil) {
        self.device = device
        self.trigger = trigger
        self.events = events
        self.jobID = jobID
    }
}

/// Captures devices into the archive: collect over SSH, store the files, commit when they changed, push.
public final class CaptureService: Sendable {
    /// The configuration in force: inventory, credentials and rules can be replaced (SIGHUP); the state
    /// directory, archive and collection settings stay those the service was created with.
    public var configuration: Configuration { current.withLock { $0 } }
    private let current: Mutex<Configuration>
    public let layout: ArchiveLayout
    public let archive: ConfigArchive
    /// The per-device version index in the journal; every commit this service makes is recorded in it.
    public let versions: VersionIndex
    private let collector: DeviceCollector
    private let pool: SSHWorkerPool
    let logger: Logger

    public init(configuration: Configuration, logger: Logger) throws {
        current = Mutex(configuration)
        self.logger = logger
        layout = ArchiveLayout(
            stateDirectory: configuration.settings.stateDirectory, pathTemplate: configuration.settings.archive.pathTemplate)
        do {
            try layout.prepare()
        } catch {
            throw CaptureError(.archive, "cannot create the state directory \(layout.stateDirectory): \(error.localizedDescription)")
        }
        do {
            archive = try ConfigArchive(path: layout.repositoryPath)
        } catch {
            throw CaptureError(.archive, "cannot open the archive: \(error)")
        }
        versions = VersionIndex(archive: archive, journalPath: layout.journal, logger: logger)
        let settings = configuration.settings
        pool = SSHWorkerPool(maxConcurrentSessions: settings.collection.concurrency)
        collector = DeviceCollector(
            settings: settings.collection, knownHostsPath: layout.knownHostsPath,
            maskSecrets: settings.archive.maskSecrets, collectStartup: settings.archive.collectStartup,
            pool: pool, logger: logger)
    }

    /// Takes a reloaded configuration's inventory, credentials and rules for the captures that start from now on.
    public func update(_ configuration: Configuration) {
        current.withLock { $0 = configuration }
    }

    /// Stops the worker threads and closes the archive.
    public func shutdown() async {
        try? await pool.shutdown()
        await archive.close()
    }

    /// Captures every request, at most `collection.concurrency` at once; `progress` sees each result as it lands.
    /// Results come back in request order. With `dryRun`, nothing is committed.
    public func capture(
        _ requests: [CaptureRequest], dryRun: Bool = false, progress: @Sendable (CaptureResult) -> Void = { _ in }
    ) async -> [CaptureResult] {
        let limit = max(1, configuration.settings.collection.concurrency)
        return await withTaskGroup(of: (Int, CaptureResult).self) { group in
            var results = [CaptureResult?](repeating: nil, count: requests.count)
            var next = 0
            func startNext() {
                guard next < requests.count else { return }
                let index = next
                let request = requests[index]
                group.addTask { (index, await self.capture(request, dryRun: dryRun)) }
                next += 1
            }
            for _ in 0..<min(limit, requests.count) { startNext() }
            while let (index, result) = await group.next() {
                results[index] = result
                progress(result)
                startNext()
            }
            return results.compactMap { $0 }
        }
    }

    /// Captures one device.
    public func capture(_ request: CaptureRequest, dryRun: Bool = false) async -> CaptureResult {
        let jobID = request.jobID ?? Self.newJobID()
        let configuration = self.configuration
        var logger = self.logger
        logger[metadataKey: "job"] = "\(jobID)"
        logger[metadataKey: "device"] = "\(request.device.name)"
        let started = ContinuousClock.now
        func result(_ outcome: CaptureResult.Outcome, attempts: Int, verdict: ChangeVerdict? = nil) -> CaptureResult {
            CaptureResult(
                device: request.device.name, jobID: jobID, outcome: outcome,
                duration: (ContinuousClock.now - started).seconds, attempts: attempts, verdict: verdict)
        }
        logger.info("capture started", metadata: ["trigger": "\(request.trigger.rawValue)"])
        do {
            let device = request.device
            guard let platform = configuration.rules.platforms[device.platform] else {
                throw CaptureError(.configuration, "unknown platform \(device.platform)")
            }
            let credentials = device.credentials.compactMap { configuration.credentials[$0] }
            let collected = try await collector.collect(device, platform: platform, credentials: credentials, logger: logger)
            let files = try archiveFiles(for: device, collected: collected)
            let (outcome, verdict, commitID) = dryRun
                ? (try await compare(files), nil, nil) : try await store(files, request: request, jobID: jobID)
            MetricsRegistry.shared.catalog.captures(result: outcome.metricResult).increment()
            switch outcome {
            case .changed(let commit, let insertions, let deletions, _):
                var metadata: Logger.Metadata = [
                    "commit": "\(commit ?? "-")", "insertions": "\(insertions)", "deletions": "\(deletions)",
                ]
                if let verdict {
                    metadata["verdict"] = "\(verdict.kind.rawValue)"
                    metadata["verdict_reasons"] = "\(verdict.reasons.map(\.code).joined(separator: ","))"
                }
                logger.notice(
                    dryRun ? "configuration differs (dry run, not committed)" : "configuration changed, committed",
                    metadata: metadata)
            default:
                logger.info("configuration unchanged")
            }
            var finished = result(outcome, attempts: collected.attempts, verdict: verdict)
            finished.commitID = commitID
            return finished
        } catch let error as CaptureError {
            logger.error(
                "capture failed",
                metadata: ["class": "\(error.code)", "reason": "\(error.message)", "error": "\(ErrorChain.describe(error))"])
            MetricsRegistry.shared.catalog.captures(result: "failed", failureClass: "\(error.code)").increment()
            return result(.failed(error), attempts: error.attempts)
        } catch {
            let wrapped = CaptureError(.archive, "\(error)")
            logger.error(
                "capture failed",
                metadata: ["class": "\(wrapped.code)", "reason": "\(wrapped.message)", "error": "\(ErrorChain.describe(wrapped))"])
            MetricsRegistry.shared.catalog.captures(result: "failed", failureClass: "\(wrapped.code)").increment()
            return result(.failed(wrapped), attempts: 1)
        }
    }

    func archiveFiles(for device: Device, collected: CollectedConfiguration) throws -> [ArchiveFile] {
        do {
            var files = [
                ArchiveFile(path: try layout.configPath(for: device), contents: collected.running),
                ArchiveFile(
                    path: try layout.factsPath(for: device),
                    contents: factsDocument(device: device, facts: collected.facts, hostKey: collected.hostKeyFingerprint)),
            ]
            if let startup = collected.startup {
                files.append(ArchiveFile(path: try layout.startupPath(for: device), contents: startup))
            }
            return files
        } catch {
            throw CaptureError(.configuration, "\(error)")
        }
    }

    /// Commits the files when any differs from HEAD, with the verdict policy's verdict on the change.
    func store(
        _ files: [ArchiveFile], request: CaptureRequest, jobID: String
    ) async throws -> (CaptureResult.Outcome, ChangeVerdict?, String?) {
        let previous: String?
        do {
            previous = try await archive.read(path: files[0].path)
        } catch {
            throw CaptureError(.archive, "cannot read the archive: \(error)")
        }
        let isFirst = previous == nil
        let now = Date()
        let changes = previous == files[0].contents
            ? ChangedLines() : ChangedLines(old: previous ?? "", new: files[0].contents)
        let verdict = configuration.verdict.verdict(
            for: VerdictPolicy.Input(
                device: request.device, trigger: request.trigger, events: request.events, changes: changes,
                isFirstCapture: isFirst, capturedAt: now))
        let message = CommitMessage(
            device: request.device.name, trigger: request.trigger, jobID: jobID, events: request.events,
            isFirstCapture: isFirst, verdict: verdict)
        let settings = configuration.settings.archive
        let committer = ArchiveSignature(name: settings.authorName, email: settings.authorEmail, date: now)
        // The author is whoever made the change on the device, when an event names them.
        let author = message.changedBy.map {
            ArchiveSignature(name: $0, email: "\($0)@\(request.device.name).netraven.invalid", date: now)
        } ?? committer
        let outcome: CommitOutcome?
        do {
            outcome = try await archive.commit(files: files, message: message.text, author: author, committer: committer)
        } catch {
            throw CaptureError(.archive, "commit failed: \(error)")
        }
        guard let outcome else { return (.unchanged, nil, nil) }
        await recordVersion(outcome)
        let configStat = outcome.changedFiles.first { $0.path == files[0].path }
        let changed = CaptureResult.Outcome.changed(
            commit: outcome.commit.shortID, insertions: configStat?.insertions ?? 0, deletions: configStat?.deletions ?? 0,
            isNew: configStat?.isNew ?? false)
        return (changed, verdict, outcome.commit.id)
    }

    /// A dry run's verdict: compares with HEAD without committing.
    func compare(_ files: [ArchiveFile]) async throws -> CaptureResult.Outcome {
        var changed = false
        var insertions = 0
        var deletions = 0
        var isNew = false
        for (index, file) in files.enumerated() {
            let current = try await archive.read(path: file.path)
            guard current != file.contents else { continue }
            changed = true
            if index == 0 {
                isNew = current == nil
                let old = (current ?? "").split(separator: "\n", omittingEmptySubsequences: false)
                let new = file.contents.split(separator: "\n", omittingEmptySubsequences: false)
                for change in new.difference(from: old) {
                    if case .insert = change { insertions += 1 } else { deletions += 1 }
                }
            }
        }
        return changed ? .changed(commit: nil, insertions: insertions, deletions: deletions, isNew: isNew) : .unchanged
    }

    /// Pushes the archive to its remote, when one is configured.
    public func push() async -> PushStatus {
        guard let remote = configuration.settings.archive.remote, remote.push else { return .notConfigured }
        guard (try? await archive.head()) != nil else { return .upToDate }
        do {
            let result = try await archive.push(pushRemote(remote))
            if result.wasUpToDate { return .upToDate }
            logger.notice("archive pushed", metadata: ["commit": "\(result.pushedCommit.prefix(12))", "remote": "\(remote.url)"])
            return .pushed(commit: String(result.pushedCommit.prefix(12)))
        } catch {
            logger.error(
                "push failed; the commits stay in the local archive and go with the next push",
                metadata: ["reason": "\(error)", "remote": "\(remote.url)"])
            return .failed("\(error)")
        }
    }

    func pushRemote(_ remote: RemoteSettings) -> PushRemote {
        var credentials = PushRemote.Credentials.none
        if let key = remote.privateKeyPath {
            credentials = .sshKey(
                username: remote.username ?? "git", privateKeyPath: key, publicKeyPath: nil, passphrase: remote.passphrase?.value)
        } else if let token = remote.token {
            credentials = .token(username: remote.username ?? "netraven", token: token.value)
        }
        let hostKey: PushRemote.HostKeyPolicy
        switch remote.hostKey {
        case "off": hostKey = .insecureAcceptAny
        case "tofu": hostKey = .trustOnFirstUse(knownHostsFile: layout.remoteKnownHostsPath)
        default: hostKey = .pinned(fingerprint: remote.hostKey)
        }
        let url = remote.url.hasPrefix("/") ? "file://" + remote.url : remote.url
        return PushRemote(
            url: url, branch: remote.branch, credentials: credentials, hostKeyPolicy: hostKey, caFile: remote.caFile)
    }

    /// A new, short, unique job id.
    public static func newJobID() -> String {
        String(UUID().uuidString.lowercased().prefix(13)).replacingOccurrences(of: "-", with: "")
    }
}
