/// Where and how `ConfigArchive.push` sends the archive. The push is never forced.
public struct PushRemote: Sendable, CustomStringConvertible {
    /// How to authenticate. Descriptions never show secrets.
    public enum Credentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
        /// No credentials (file:// remotes, anonymous https).
        case none
        /// SSH public-key authentication with key files. `publicKeyPath` nil means `privateKeyPath + ".pub"`
        /// when that file exists.
        case sshKey(username: String, privateKeyPath: String, publicKeyPath: String? = nil, passphrase: String? = nil)
        /// HTTPS access token (sent as the password of `username`).
        case token(username: String, token: String)
        /// HTTPS or SSH password.
        case password(username: String, password: String)

        /// A redacted description.
        public var description: String {
            switch self {
            case .none: "none"
            case .sshKey(let user, let key, _, let passphrase):
                "sshKey(\(user), \(key)\(passphrase == nil ? "" : ", passphrase: <redacted>"))"
            case .token(let user, _): "token(\(user), <redacted>)"
            case .password(let user, _): "password(\(user), <redacted>)"
            }
        }

        /// Same as `description`: secrets stay out of logs and dumps.
        public var debugDescription: String { description }

        /// The secrets to scrub from any text that might echo them.
        var secrets: [String] {
            switch self {
            case .none: []
            case .sshKey(_, _, _, let passphrase): passphrase.map { [$0] } ?? []
            case .token(_, let token): [token]
            case .password(_, let password): [password]
            }
        }
    }

    /// How the SSH server's host key is checked (libgit2 1.5.1 never reads `~/.ssh/known_hosts`).
    public enum HostKeyPolicy: Sendable, Equatable, CustomStringConvertible {
        /// Accept only this key, as OpenSSH prints it: `SHA256:<base64 without padding>`.
        case pinned(fingerprint: String)
        /// Record the key on first contact in `knownHostsFile` (lines `host:port SHA256:...`), reject changes.
        case trustOnFirstUse(knownHostsFile: String)
        /// Accept any key. For tests only.
        case insecureAcceptAny

        /// Short form for logs.
        public var description: String {
            switch self {
            case .pinned(let fingerprint): "pinned(\(fingerprint))"
            case .trustOnFirstUse(let file): "trustOnFirstUse(\(file))"
            case .insecureAcceptAny: "insecureAcceptAny"
            }
        }
    }

    /// `file:///path`, `ssh://user@host:port/path`, `user@host:path` or `https://host/path`.
    public var url: String
    /// Remote branch to update (`refs/heads/<branch>`) from the local HEAD branch.
    public var branch: String
    /// Authentication.
    public var credentials: Credentials
    /// SSH host key check; ignored for other transports (https uses `caFile` or the system's CA bundle).
    public var hostKeyPolicy: HostKeyPolicy
    /// PEM file of the certificate authorities an https remote's certificate must chain to, instead of the system
    /// bundle (a private Git server with its own CA). Nil: the system bundle. Ignored for other transports.
    public var caFile: String?

    /// Creates a remote description.
    public init(
        url: String,
        branch: String = "main",
        credentials: Credentials = .none,
        hostKeyPolicy: HostKeyPolicy,
        caFile: String? = nil
    ) {
        self.url = url
        self.branch = branch
        self.credentials = credentials
        self.hostKeyPolicy = hostKeyPolicy
        self.caFile = caFile
    }

    /// The URL without any password in it, plus branch and policy; safe to log.
    public var description: String {
        "\(RemoteURL.redacted(url)) branch \(branch), credentials \(credentials), host key \(hostKeyPolicy)"
            + (caFile.map { ", CA file \($0)" } ?? "")
    }
}

/// What a successful push did.
public struct PushResult: Sendable, Equatable {
    /// Full id of the commit the remote branch now points at.
    public var pushedCommit: String
    /// Full id the remote branch pointed at before, nil if it did not exist or was unknown.
    public var previousRemoteCommit: String?
    /// The remote ref that was updated, e.g. `refs/heads/main`.
    public var remoteRef: String
    /// True when the remote already had `pushedCommit` (nothing was sent).
    public var wasUpToDate: Bool

    /// Creates a result.
    public init(pushedCommit: String, previousRemoteCommit: String?, remoteRef: String, wasUpToDate: Bool) {
        self.pushedCommit = pushedCommit
        self.previousRemoteCommit = previousRemoteCommit
        self.remoteRef = remoteRef
        self.wasUpToDate = wasUpToDate
    }
}
