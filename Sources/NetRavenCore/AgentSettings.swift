/// The agent's own settings: `netraven.yaml`.
public struct AgentSettings: Sendable {
    /// Where the archive, known_hosts and journal live.
    public var stateDirectory: String
    /// Rules directory; nil = the installed default.
    public var rulesDirectory: String?
    public var archive: ArchiveSettings
    public var collection: CollectionSettings
    /// How change events are debounced before a capture (its `concurrency` is `collection.concurrency`).
    public var debounce = DebounceSettings()
    public var logLevel: String
    /// The `logging:` section: levels per module, the log file and its rotation (`logLevel` is its `level`).
    public var logging = LogSettings()
    /// The event and job journal (`journal:`).
    public var journal = JournalSettings()
    /// Scheduled sweeps (`sweep:`).
    public var sweep = SweepSettings()
    /// Retries of pushes, uploads and alerts (`outbox:`).
    public var outbox = OutboxSettings()

    public init(
        stateDirectory: String, rulesDirectory: String? = nil, archive: ArchiveSettings = ArchiveSettings(),
        collection: CollectionSettings = CollectionSettings(), logLevel: String = "info"
    ) {
        self.stateDirectory = stateDirectory
        self.rulesDirectory = rulesDirectory
        self.archive = archive
        self.collection = collection
        self.logLevel = logLevel
    }
}

/// How captures are stored.
public struct ArchiveSettings: Sendable {
    /// Where a device's file goes in the archive (`{group}/{name}.cfg`).
    public var pathTemplate: PathTemplate
    /// Replace secrets in stored configurations with a marker.
    public var maskSecrets: Bool
    /// Also store the startup configuration (`<path>.startup`), on platforms that define the command.
    public var collectStartup: Bool
    public var remote: RemoteSettings?
    public var authorName: String
    public var authorEmail: String

    public init(
        pathTemplate: PathTemplate = .default, maskSecrets: Bool = false, collectStartup: Bool = false,
        remote: RemoteSettings? = nil, authorName: String = "NetRaven", authorEmail: String = "netraven@localhost"
    ) {
        self.pathTemplate = pathTemplate
        self.maskSecrets = maskSecrets
        self.collectStartup = collectStartup
        self.remote = remote
        self.authorName = authorName
        self.authorEmail = authorEmail
    }
}

/// The Git remote the archive is pushed to.
public struct RemoteSettings: Sendable {
    public var url: String
    public var push: Bool
    public var branch: String
    public var username: String?
    public var privateKeyPath: String?
    public var passphrase: Secret?
    public var token: Secret?
    /// `tofu` or a pinned `SHA256:...` fingerprint for ssh remotes.
    public var hostKey: String
    /// PEM bundle of the CAs an https remote's certificate must chain to (instead of the system bundle).
    public var caFile: String?

    public init(
        url: String, push: Bool = true, branch: String = "main", username: String? = nil,
        privateKeyPath: String? = nil, passphrase: Secret? = nil, token: Secret? = nil, hostKey: String = "tofu"
    ) {
        self.url = url
        self.push = push
        self.branch = branch
        self.username = username
        self.privateKeyPath = privateKeyPath
        self.passphrase = passphrase
        self.token = token
        self.hostKey = hostKey
    }
}

/// Limits and timing for SSH collection.
public struct CollectionSettings: Sendable {
    /// Sessions open at once, across all devices.
    public var concurrency: Int
    public var connectTimeout: Duration
    /// Longest wait for a command's output to end in a prompt.
    public var commandTimeout: Duration
    /// Longest a whole capture (all attempts) may take.
    public var overallTimeout: Duration
    /// Extra attempts after a transient failure (timeouts, resets).
    public var retries: Int
    public var backoff: Backoff

    public init(
        concurrency: Int = 16, connectTimeout: Duration = .seconds(10), commandTimeout: Duration = .seconds(30),
        overallTimeout: Duration = .seconds(180), retries: Int = 2, backoff: Backoff = Backoff()
    ) {
        self.concurrency = concurrency
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.overallTimeout = overallTimeout
        self.retries = retries
        self.backoff = backoff
    }
}
