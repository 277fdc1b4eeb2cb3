/// The `alerts:` section: where alerts can go, which go where, and how they are grouped.
public struct AlertSettings: Sendable {
    /// Destinations by name.
    public var destinations: [String: AlertDestination]
    /// Routes, tried in order.
    public var routes: [AlertRoute]
    /// Grouping for destinations without their own.
    public var grouping: AlertGrouping

    public init(
        destinations: [String: AlertDestination] = [:], routes: [AlertRoute] = [],
        grouping: AlertGrouping = AlertGrouping()
    ) {
        self.destinations = destinations
        self.routes = routes
        self.grouping = grouping
    }

    /// The router over these routes.
    public var router: AlertRouter { AlertRouter(routes: routes) }

    /// Per destination grouping overrides, for `AlertBatcher`.
    public var groupings: [String: AlertGrouping] { destinations.compactMapValues(\.grouping) }
}

/// How alerts to one destination are grouped and limited.
public struct AlertGrouping: Sendable, Equatable {
    /// Alerts arriving within this time of the first go out together (0: at once).
    public var window: Duration
    /// Alerts told in full per minute; the rest of a window goes into a digest.
    public var maxPerMinute: Int

    public init(window: Duration = .seconds(30), maxPerMinute: Int = 20) {
        self.window = window
        self.maxPerMinute = maxPerMinute
    }
}

/// One place alerts are sent to.
public struct AlertDestination: Sendable {
    /// The destination's type and its settings.
    public enum Kind: Sendable {
        case webhook(WebhookSettings)
        case slack(SlackSettings)
        case email(EmailSettings)
        case exec(ExecSettings)
        case syslog(SyslogForwardSettings)

        /// The `type:` name.
        public var typeName: String {
            switch self {
            case .webhook: "webhook"
            case .slack: "slack"
            case .email: "email"
            case .exec: "exec"
            case .syslog: "syslog"
            }
        }
    }

    public var name: String
    public var kind: Kind
    /// This destination's own grouping, overriding `alerts.grouping`.
    public var grouping: AlertGrouping?

    public init(name: String, kind: Kind, grouping: AlertGrouping? = nil) {
        self.name = name
        self.kind = kind
        self.grouping = grouping
    }

    /// A generic JSON webhook.
    public struct WebhookSettings: Sendable {
        /// The URL; a secret, as it often carries a token.
        public var url: Secret
        /// Extra headers (no secrets: use `bearerToken`).
        public var headers: [String: String]
        /// Sent as `Authorization: Bearer ...`.
        public var bearerToken: Secret?
        public var timeout: Duration

        public init(
            url: Secret, headers: [String: String] = [:], bearerToken: Secret? = nil, timeout: Duration = .seconds(15)
        ) {
            self.url = url
            self.headers = headers
            self.bearerToken = bearerToken
            self.timeout = timeout
        }
    }

    /// A Slack incoming webhook.
    public struct SlackSettings: Sendable {
        /// The incoming-webhook URL (its path is the token).
        public var url: Secret
        /// Diff lines shown per alert before "… N more lines".
        public var maxDiffLines: Int
        public var timeout: Duration

        public init(url: Secret, maxDiffLines: Int = 40, timeout: Duration = .seconds(15)) {
            self.url = url
            self.maxDiffLines = maxDiffLines
            self.timeout = timeout
        }
    }

    /// E-mail over SMTP.
    public struct EmailSettings: Sendable {
        /// How the connection is protected.
        public enum Security: String, Sendable, CaseIterable {
            /// `smtp://` upgraded with STARTTLS; refused if the server does not offer it.
            case starttls
            /// `smtps://`: TLS from the first byte.
            case tls
            /// Plain text (a local relay on loopback only).
            case none
        }

        /// `smtp://host:587` or `smtps://host:465`.
        public var url: String
        public var security: Security
        public var username: String?
        public var password: Secret?
        public var from: String
        public var to: [String]
        /// A private CA to trust for the server's certificate.
        public var caFile: String?
        /// Put before every subject (`[netraven]`).
        public var subjectPrefix: String
        public var timeout: Duration

        public init(
            url: String, security: Security = .starttls, username: String? = nil, password: Secret? = nil,
            from: String, to: [String], caFile: String? = nil, subjectPrefix: String = "[netraven]",
            timeout: Duration = .seconds(30)
        ) {
            self.url = url
            self.security = security
            self.username = username
            self.password = password
            self.from = from
            self.to = to
            self.caFile = caFile
            self.subjectPrefix = subjectPrefix
            self.timeout = timeout
        }
    }

    /// A command run per batch: argv (no shell), `NETRAVEN_*` environment variables, JSON on stdin.
    public struct ExecSettings: Sendable {
        /// The program and its arguments; the program is looked up in PATH unless it contains a slash.
        public var command: [String]
        /// Extra environment variables for the command.
        public var environment: [String: String]
        /// Killed (with its process group) after this long.
        public var timeout: Duration

        public init(command: [String], environment: [String: String] = [:], timeout: Duration = .seconds(30)) {
            self.command = command
            self.environment = environment
            self.timeout = timeout
        }
    }

    /// RFC 5424 lines to a syslog server.
    public struct SyslogForwardSettings: Sendable {
        /// The transport.
        public enum Transport: String, Sendable, CaseIterable {
            case udp, tcp
        }

        public var host: String
        public var port: Int
        public var transport: Transport
        /// Facility number (0-23), `local0` = 16 by default.
        public var facility: Int
        /// A fixed syslog severity (0-7); nil maps alert severities (critical 2, warning 4, info 6).
        public var severity: Int?
        /// The HOSTNAME field; the machine's name by default.
        public var hostname: String?

        public init(
            host: String, port: Int = 514, transport: Transport = .udp, facility: Int = 16, severity: Int? = nil,
            hostname: String? = nil
        ) {
            self.host = host
            self.port = port
            self.transport = transport
            self.facility = facility
            self.severity = severity
            self.hostname = hostname
        }
    }
}
