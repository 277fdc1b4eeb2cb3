/// One HTTP header.
public struct HTTPHeader: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A request for `HTTPClient`.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [HTTPHeader]
    public var body: [UInt8]
    /// Longest the whole transfer may take.
    public var timeout: Duration
    public var connectTimeout: Duration
    /// HTTP basic authentication, or the key and secret for `awsSigV4`. Never logged.
    public var credentials: Credentials?
    /// `aws:amz:REGION:SERVICE`: sign the request with AWS Signature V4 (libcurl's `CURLOPT_AWS_SIGV4`).
    public var awsSigV4: String?
    /// Bodies larger than this are refused (`tooLarge`) instead of filling memory.
    public var maximumResponseBytes: Int

    /// A user name and password (or access key and secret).
    public struct Credentials: Sendable, CustomStringConvertible {
        public var user: String
        public var password: String

        public init(user: String, password: String) {
            self.user = user
            self.password = password
        }

        public var description: String { "\(user):<redacted>" }
    }

    public init(
        method: String = "GET", url: String, headers: [HTTPHeader] = [], body: [UInt8] = [],
        timeout: Duration = .seconds(60), connectTimeout: Duration = .seconds(10), credentials: Credentials? = nil,
        awsSigV4: String? = nil, maximumResponseBytes: Int = 256 << 20
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.credentials = credentials
        self.awsSigV4 = awsSigV4
        self.maximumResponseBytes = maximumResponseBytes
    }
}

/// What the server answered.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Headers of the final response (after a `100 Continue`).
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    /// The first header called `name`, case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Why a transfer failed (an HTTP error status is a response, not an error).
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unreachable, timeout, tls, protocolError, invalidRequest, tooLarge, closed
            case authenticationFailed, rejected
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Name resolution or TCP connect failed.
        public static let unreachable = Code(.unreachable)
        public static let timeout = Code(.timeout)
        /// Certificate or TLS handshake failure.
        public static let tls = Code(.tls)
        public static let protocolError = Code(.protocolError)
        /// The request itself is unusable (bad URL, unsupported option).
        public static let invalidRequest = Code(.invalidRequest)
        public static let tooLarge = Code(.tooLarge)
        /// The client was shut down.
        public static let closed = Code(.closed)
        /// The server refused the user name or password (SMTP AUTH); permanent until the configuration changes.
        public static let authenticationFailed = Code(.authenticationFailed)
        /// The server refused the message or a recipient for good (an SMTP 5xx reply).
        public static let rejected = Code(.rejected)

        public var description: String { base.rawValue }

        /// Worth retrying later (an outbox does).
        public var isTransient: Bool { self == .unreachable || self == .timeout || self == .protocolError }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
