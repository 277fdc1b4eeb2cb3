/// One network device NetRaven captures, with every setting resolved (device, then group, then defaults).
public struct Device: Sendable, Equatable, Hashable {
    /// Unique name; also the archive file name.
    public var name: String
    /// Address or DNS name to connect to.
    public var host: String
    public var port: Int
    /// Platform name, a file in `rules/platforms/`.
    public var platform: String
    public var group: String
    public var site: String?
    public var region: String?
    public var tags: [String]
    /// Name of the credential set to log in with; several are tried in order.
    public var credentials: [String]
    public var hostKeyPolicy: HostKeyPolicy
    /// Offer old algorithms (dh-group14-sha1, ssh-rsa, aes-cbc, hmac-sha1) for old IOS.
    public var legacyAlgorithms: Bool
    /// Other names and addresses this device is known by (in syslog messages, traps).
    public var aliases: [String]

    public init(
        name: String, host: String, port: Int = 22, platform: String, group: String = "default",
        site: String? = nil, region: String? = nil, tags: [String] = [], credentials: [String] = [],
        hostKeyPolicy: HostKeyPolicy = .tofu, legacyAlgorithms: Bool = false, aliases: [String] = []
    ) {
        self.name = name
        self.host = host
        self.port = port
        self.platform = platform
        self.group = group
        self.site = site
        self.region = region
        self.tags = tags
        self.credentials = credentials
        self.hostKeyPolicy = hostKeyPolicy
        self.legacyAlgorithms = legacyAlgorithms
        self.aliases = aliases
    }
}

/// What to do with a device's SSH host key.
public enum HostKeyPolicy: String, Sendable, CaseIterable, Hashable {
    /// Trust the first key seen; refuse and report a changed key.
    case tofu
    /// Only keys already in the known_hosts file.
    case strict
    /// No check (lab use only).
    case off
}

/// A named set of login credentials.
public struct CredentialSet: Sendable, Equatable {
    public var name: String
    public var username: String
    /// Tried in order until one works.
    public var passwords: [Secret]
    public var privateKeyPath: String?
    public var passphrase: Secret?
    /// The enable secret, for platforms with a privileged mode.
    public var enable: Secret?

    public init(
        name: String, username: String, passwords: [Secret] = [], privateKeyPath: String? = nil,
        passphrase: Secret? = nil, enable: Secret? = nil
    ) {
        self.name = name
        self.username = username
        self.passwords = passwords
        self.privateKeyPath = privateKeyPath
        self.passphrase = passphrase
        self.enable = enable
    }
}
