import Foundation
public import Logging
public import NetRavenCore

/// A device's configuration as collected: normalized, with its facts.
public struct CollectedConfiguration: Sendable, Equatable {
    /// The running configuration as it is stored (normalized; masked when masking is on).
    public var running: String
    /// The startup configuration, when collected.
    public var startup: String?
    public var facts: DeviceFacts
    /// The SSH host key's fingerprint.
    public var hostKeyFingerprint: String?
    /// Bytes the device sent for the running configuration, before cleaning.
    public var rawBytes: Int
    /// Attempts it took (1 when the first worked).
    public var attempts: Int
}

/// Collects devices' configurations over SSH, following their platform rules.
///
/// Each attempt runs start to finish on one worker thread (libssh is blocking and thread-confined); at most
/// `settings.concurrency` sessions run at once. Transient failures (unreachable, timeout, connection lost) are
/// retried with backoff within the overall timeout; authentication and host-key failures never are.
public struct DeviceCollector: Sendable {
    public let settings: CollectionSettings
    public let knownHostsPath: String
    public let maskSecrets: Bool
    public let collectStartup: Bool
    private let pool: SSHWorkerPool
    private let logger: Logger

    public init(
        settings: CollectionSettings, knownHostsPath: String, maskSecrets: Bool, collectStartup: Bool,
        pool: SSHWorkerPool, logger: Logger
    ) {
        self.settings = settings
        self.knownHostsPath = knownHostsPath
        self.maskSecrets = maskSecrets
        self.collectStartup = collectStartup
        self.pool = pool
        self.logger = logger
    }

    /// Collects `device`, retrying transient failures.
    /// - Throws: `CaptureError` with the failure's class.
    public func collect(
        _ device: Device, platform: PlatformRules, credentials: [CredentialSet], logger jobLogger: Logger? = nil,
        clock: some Clock<Duration> = ContinuousClock()
    ) async throws -> CollectedConfiguration {
        // The job's logger (job id, device) under this module's label, so `logging.levels: {netraven.ssh: …}` applies.
        let logger = (jobLogger ?? self.logger).module("netraven.ssh")
        let deadline = ContinuousClock.now + settings.overallTimeout
        var attempt = 1
        while true {
            do {
                var collected = try await pool.run { [self, attempt] in
                    var attemptLogger = logger
                    attemptLogger[metadataKey: "attempt"] = "\(attempt)"
                    return try collectOnce(
                        device, platform: platform, credentials: credentials, deadline: deadline, logger: attemptLogger)
                }
                collected.attempts = attempt
                return collected
            } catch let error as CaptureError {
                let remaining = deadline - ContinuousClock.now
                let delay = settings.backoff.delay(attempt: attempt)
                guard error.code.isTransient, attempt <= settings.retries, remaining > delay else {
                    var final = error
                    final.attempts = attempt
                    throw final
                }
                logger.warning(
                    "attempt failed, retrying",
                    metadata: [
                        "attempt": "\(attempt)", "class": "\(error.code)", "reason": "\(error.message)",
                        "retry_in": "\(delay.seconds)s",
                    ])
                try await clock.sleep(for: delay)
                attempt += 1
            } catch {
                throw CaptureError(.connectionLost, "collection stopped: \(error)")
            }
        }
    }

    /// One attempt, blocking, on the calling (worker) thread.
    func collectOnce(
        _ device: Device, platform: PlatformRules, credentials: [CredentialSet], deadline: ContinuousClock.Instant,
        logger: Logger
    ) throws -> CollectedConfiguration {
        do {
            try checkReachable(host: device.host, port: device.port, timeout: settings.connectTimeout)
        } catch let error as SSHError {
            throw error.captureError
        }
        logger.info("connecting", metadata: ["host": "\(device.host)", "port": "\(device.port)"])
        let (session, credential, fingerprint) = try login(device, credentials: credentials, logger: logger)
        defer {
            session.close()
            logger.info("disconnected")
        }
        do {
            try session.openShell()
        } catch let error as SSHError {
            throw error.captureError
        }
        var conversation = DeviceConversation(
            platform: platform, channel: session, commandTimeout: settings.commandTimeout, deadline: deadline)
        conversation.logger = logger
        try conversation.start(enableSecret: credential.enable)
        let runningOutput = try conversation.run(platform.runningCommand)
        // Marks the end of the transfer in the log, so the time spent after it (normalize, diff, commit) is visible.
        logger.info("running configuration received", metadata: ["bytes": "\(runningOutput.utf8.count)"])
        let normalizer = ConfigNormalizer(platform: platform, maskSecrets: maskSecrets)
        let running: String
        do {
            running = try normalizer.normalize(runningOutput)
        } catch let truncated as ConfigNormalizer.Truncated {
            throw CaptureError(.truncatedOutput, truncated.description)
        }
        var startup: String?
        if collectStartup, let command = platform.startupCommand {
            startup = try? normalizer.normalize(try conversation.run(command))
            if startup == nil { logger.warning("startup configuration not stored: incomplete or rejected") }
        }
        var facts = DeviceFacts()
        for factCommand in platform.facts {
            // Facts are useful, not essential: a device that rejects "show inventory" is still captured.
            do {
                factCommand.extract(from: try conversation.run(factCommand.command), into: &facts)
            } catch let error as CaptureError where error.code == .commandRejected {
                logger.notice("fact command rejected", metadata: ["command": "\(factCommand.command)"])
            }
        }
        conversation.finish()
        return CollectedConfiguration(
            running: running, startup: startup, facts: facts, hostKeyFingerprint: fingerprint,
            rawBytes: runningOutput.utf8.count, attempts: 1)
    }

    /// Tries each credential set in order (key first, then each password) until one works.
    private func login(_ device: Device, credentials: [CredentialSet], logger: Logger) throws -> (SSHSession, CredentialSet, String) {
        guard !credentials.isEmpty else {
            throw CaptureError(.configuration, "device \(device.name) has no credential set")
        }
        var failures: [String] = []
        for credential in credentials {
            var methods: [SSHAuth] = []
            if let key = credential.privateKeyPath {
                methods.append(.privateKey(path: key, passphrase: credential.passphrase?.value))
            }
            methods += credential.passwords.map { .password($0.value) }
            var session: SSHSession?
            var fingerprint = ""
            for (index, method) in methods.enumerated() {
                do {
                    if session == nil {
                        let fresh = try SSHSession(target: target(device, username: credential.username))
                        fingerprint = try fresh.connect().fingerprint
                        logger.info("connected", metadata: ["host_key": "\(fingerprint)"])
                        session = fresh
                    }
                    try session!.authenticate(method)
                    logger.info(
                        "authenticated",
                        metadata: [
                            "credentials": "\(credential.name)", "username": "\(credential.username)",
                            "method": "\(method.kind)",
                        ])
                    return (session!, credential, fingerprint)
                } catch let error as SSHError where error.code == .authenticationFailed || error.code == .connectionLost {
                    let what = "\(credential.name)/\(credential.username) method \(index + 1) (\(method.kind))"
                    logger.notice("authentication failed", metadata: ["attempt": "\(what)", "reason": "\(error.message)"])
                    failures.append("\(what): \(error.message)")
                    if error.code == .connectionLost {
                        // The device hung up after the failure: the next method needs a new connection.
                        session?.close()
                        session = nil
                    }
                } catch let error as SSHError {
                    session?.close()
                    throw error.captureError
                }
            }
            session?.close()
        }
        throw CaptureError(.authenticationFailed, "every credential was refused: " + failures.joined(separator: "; "))
    }

    private func target(_ device: Device, username: String) -> SSHTarget {
        SSHTarget(
            host: device.host, port: device.port, username: username, connectTimeout: settings.connectTimeout,
            knownHostsPath: knownHostsPath, hostKeyPolicy: device.hostKeyPolicy,
            algorithms: device.legacyAlgorithms ? .modernPlusLegacy : .modern)
    }
}

extension SSHSession: CLIChannel {}

extension SSHAuth {
    /// The method's kind, for logs.
    var kind: String {
        switch self {
        case .password: "password"
        case .privateKey: "key"
        }
    }
}

extension SSHError {
    /// The capture failure class for an SSH failure.
    public var captureError: CaptureError {
        let code: CaptureError.Code
        switch self.code {
        case .unreachable: code = .unreachable
        case .timeout: code = .timeout
        case .authenticationFailed: code = .authenticationFailed
        case .hostKeyChanged: code = .hostKeyChanged
        case .hostKeyUnknown: code = .hostKeyUnknown
        case .connectionLost, .channelFailed: code = .connectionLost
        case .invalidTarget: code = .configuration
        default: code = .connectionLost
        }
        return CaptureError(code, message)
    }
}
