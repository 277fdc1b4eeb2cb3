import NetRavenCore

/// Why an S3 request failed. Retry logic switches on `code` (and `isTransient`), never on the message.
/// Messages and descriptions never contain the secret access key.
public struct S3Error: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, as an extensible set of names.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case accessDenied, signatureMismatch, noSuchBucket, notFound, invalidRequest, verificationFailed
            case transient, credentials, invalidResponse, sourceUnavailable
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The key is unknown, disabled or lacks permission (403 `AccessDenied`, `InvalidAccessKeyId`).
        public static let accessDenied = Code(.accessDenied)
        /// The signature did not verify: usually a wrong secret (403/400 `SignatureDoesNotMatch`).
        public static let signatureMismatch = Code(.signatureMismatch)
        /// The bucket does not exist.
        public static let noSuchBucket = Code(.noSuchBucket)
        /// The object, version or upload does not exist.
        public static let notFound = Code(.notFound)
        /// S3 refused the request as malformed or not allowed in this state (400, 409, 412...).
        public static let invalidRequest = Code(.invalidRequest)
        /// The object read back does not match what was sent (size, SHA-256, checksum or ETag).
        public static let verificationFailed = Code(.verificationFailed)
        /// Worth retrying: 5xx, `SlowDown`, a timeout or a network failure.
        public static let transient = Code(.transient)
        /// No usable credentials (configuration, environment or profile).
        public static let credentials = Code(.credentials)
        /// A response NetRaven cannot read (not S3's XML).
        public static let invalidResponse = Code(.invalidResponse)
        /// The bytes to upload could not be read (the commit or file is missing from the archive).
        public static let sourceUnavailable = Code(.sourceUnavailable)

        public var description: String { base.rawValue }
    }

    /// The failure class.
    public var code: Code
    /// What failed, for people: the operation, the key, S3's own code and message.
    public var message: String
    /// The HTTP status, when a response arrived.
    public var status: Int?
    /// S3's error code (`AccessDenied`, `SlowDown`...), when it sent one.
    public var s3Code: String?

    /// An error of `code`; the message is scrubbed of every registered secret.
    public init(_ code: Code, _ message: String, status: Int? = nil, s3Code: String? = nil) {
        self.code = code
        self.message = SecretRedactor.shared.redact(message)
        self.status = status
        self.s3Code = s3Code
    }

    /// True when retrying later may succeed (an outbox retries these, rejects the others).
    public var isTransient: Bool { code == .transient }

    public var description: String { "\(code): \(message)" }

    /// The code for an S3 error response.
    static func classify(status: Int, s3Code: String?) -> Code {
        switch s3Code {
        case "SignatureDoesNotMatch": return .signatureMismatch
        case "AccessDenied", "InvalidAccessKeyId", "AllAccessDisabled", "InvalidToken", "ExpiredToken":
            return .accessDenied
        case "NoSuchBucket": return .noSuchBucket
        case "NoSuchKey", "NoSuchVersion", "NoSuchUpload": return .notFound
        case "SlowDown", "InternalError", "ServiceUnavailable", "RequestTimeout": return .transient
        default: break
        }
        switch status {
        case 500...599, 408, 429: return .transient
        case 403: return .accessDenied
        case 404: return .notFound
        default: return .invalidRequest
        }
    }
}
