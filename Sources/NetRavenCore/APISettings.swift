/// The `api:` section: where the HTTP API and the web status page listen, TLS, and the tokens that may use them.
public struct APISettings: Sendable, Equatable {
    /// What a token may do.
    public enum Scope: String, Sendable, Hashable, CaseIterable, Codable {
        /// Read devices, versions, diffs, jobs and events; use the web page.
        case read
        /// Ask for captures and sweeps.
        case trigger
    }

    /// Who may read `/metrics`.
    public enum MetricsAccess: String, Sendable, Equatable, CaseIterable {
        /// Anyone who can reach the port (Prometheus without credentials).
        case open
        /// Tokens with the `read` scope (Prometheus `authorization: {credentials: ...}`).
        case read
    }

    /// A token as configured: its name (for logs and the web page) and the SHA-256 of the token itself.
    public struct Token: Sendable, Equatable {
        /// Who or what holds the token (`noc-dashboard`, `prometheus`).
        public var name: String
        /// The SHA-256 of the token, 32 bytes; the token itself is never stored.
        public var sha256: [UInt8]
        /// What the token may do.
        public var scopes: Set<Scope>

        /// A configured token.
        public init(name: String, sha256: [UInt8], scopes: Set<Scope>) {
            self.name = name
            self.sha256 = sha256
            self.scopes = scopes
        }
    }

    /// The server's certificate and key (PEM files).
    public struct TLS: Sendable, Equatable {
        /// The certificate chain, PEM.
        public var certificatePath: String
        /// The private key, PEM.
        public var keyPath: String

        /// Certificate and key files.
        public init(certificatePath: String, keyPath: String) {
            self.certificatePath = certificatePath
            self.keyPath = keyPath
        }
    }

    /// Address and port to listen on; port 0 picks a free one (tests).
    public var listen: ListenAddress
    /// TLS; nil serves plain HTTP (only sensible on 127.0.0.1 or behind a proxy).
    public var tls: TLS?
    /// The tokens that may use the API and log in to the web page.
    public var tokens: [Token]
    /// Who may read `/metrics`.
    public var metrics: MetricsAccess
    /// How long a web page login lasts.
    public var sessionLifetime: Duration

    /// Settings with the defaults of an absent key.
    public init(
        listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 8080), tls: TLS? = nil, tokens: [Token] = [],
        metrics: MetricsAccess = .read, sessionLifetime: Duration = .seconds(12 * 3600)
    ) {
        self.listen = listen
        self.tls = tls
        self.tokens = tokens
        self.metrics = metrics
        self.sessionLifetime = sessionLifetime
    }

    /// The bytes of a hexadecimal SHA-256 (64 hex digits, either case); nil when it is not one.
    public static func digest(hex text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
