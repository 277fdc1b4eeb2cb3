/// The `s3:` section of `netraven.yaml`: the bucket every committed version is copied to, how to reach it and how
/// long copies are kept. See docs/s3.md.
public struct S3Settings: Sendable, Equatable {
    /// Server-side encryption requested on every object.
    public enum Encryption: String, Sendable, Equatable, CaseIterable {
        /// SSE-S3: keys managed by S3.
        case aes256 = "AES256"
        /// SSE-KMS: keys in AWS KMS (`kmsKeyID`, or the account's default S3 key).
        case kms = "aws:kms"
    }

    /// Object Lock retention applied to every uploaded object (the bucket must have Object Lock enabled).
    public struct ObjectLock: Sendable, Equatable {
        /// The two S3 retention modes.
        public enum Mode: String, Sendable, Equatable, CaseIterable {
            /// Users with `s3:BypassGovernanceRetention` may still delete.
            case governance = "GOVERNANCE"
            /// Nobody can delete the version before the date, not even the root account.
            case compliance = "COMPLIANCE"
        }

        /// The retention mode.
        public var mode: Mode
        /// Days from the upload until the version may be deleted.
        public var retainDays: Int

        /// Object Lock with `mode` for `retainDays` days.
        public init(mode: Mode, retainDays: Int) {
            self.mode = mode
            self.retainDays = retainDays
        }
    }

    /// The bucket name.
    public var bucket: String
    /// Key prefix without leading or trailing slashes ("" = the bucket's root).
    public var prefix: String
    /// The signing region.
    public var region: String
    /// The service endpoint; nil = AWS (`https://s3.<region>.amazonaws.com`).
    public var endpoint: String?
    /// `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key` (MinIO, Ceph and most S3-compatibles).
    public var pathStyle: Bool
    /// Access key id reference; nil = from the environment or a profile.
    public var accessKeyID: Secret?
    /// Secret access key reference; set together with `accessKeyID`.
    public var secretAccessKey: Secret?
    /// Profile in the shared credentials file; nil = `AWS_PROFILE`, else `default`.
    public var profile: String?
    /// The shared credentials file; nil = `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
    public var credentialsFile: String?
    /// Server-side encryption, nil = the bucket's default.
    public var serverSideEncryption: Encryption?
    /// The KMS key for `aws:kms` (id, ARN or alias); nil = the account's default S3 key.
    public var kmsKeyID: String?
    /// Storage class (`STANDARD`, `STANDARD_IA`, `GLACIER_IR`...); nil = the bucket's default.
    public var storageClass: String?
    /// Object Lock retention, nil = none.
    public var objectLock: ObjectLock?
    /// Objects at least this large go up as multipart uploads.
    public var multipartThreshold: Int
    /// Size of each multipart part (S3's minimum is 5 MiB, except for the last part).
    public var partSize: Int
    /// Longest a single request may take.
    public var timeout: Duration
    /// How long snapshot objects are kept (nil = forever; `netraven retention --s3` needs it).
    public var retention: RetentionPolicy?

    /// The smallest part S3 accepts (all parts but the last).
    public static let minimumPartSize = 5 * 1024 * 1024

    /// Settings for `bucket` with the defaults: us-east-1 on AWS, 16 MiB multipart threshold, 8 MiB parts, 60 s.
    public init(
        bucket: String, prefix: String = "", region: String = "us-east-1", endpoint: String? = nil,
        pathStyle: Bool? = nil, multipartThreshold: Int = 16 * 1024 * 1024, partSize: Int = 8 * 1024 * 1024,
        timeout: Duration = .seconds(60)
    ) {
        self.bucket = bucket
        self.prefix = prefix
        self.region = region
        self.endpoint = endpoint
        self.pathStyle = pathStyle ?? (endpoint != nil)
        self.multipartThreshold = multipartThreshold
        self.partSize = partSize
        self.timeout = timeout
    }

    /// The endpoint in use: the configured one, or AWS's regional endpoint.
    public var effectiveEndpoint: String {
        endpoint ?? "https://s3.\(region).amazonaws.com"
    }
}

/// How long copies are kept: everything older than `keepDays` goes, except the `keepMinimum` newest of each device.
public struct RetentionPolicy: Sendable, Equatable, Codable {
    /// Copies younger than this many days are always kept.
    public var keepDays: Int
    /// The newest copies of each group kept whatever their age (at least 1: the last copy never goes).
    public var keepMinimum: Int

    /// A policy; `keepMinimum` below 1 is raised to 1.
    public init(keepDays: Int, keepMinimum: Int) {
        self.keepDays = keepDays
        self.keepMinimum = max(1, keepMinimum)
    }
}
