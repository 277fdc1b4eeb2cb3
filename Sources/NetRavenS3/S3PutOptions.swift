public import Foundation
public import NetRavenCore
import NetRavenHTTP

/// What goes with an uploaded object besides its bytes: content type, user metadata, encryption, storage class
/// and Object Lock retention.
public struct S3PutOptions: Sendable, Equatable {
    /// Always sent (moto drops bodies sent with curl's default form type).
    public var contentType: String
    /// User metadata, sent as `x-amz-meta-<name>`; names lower-case. Values outside printable ASCII are
    /// percent-encoded (HTTP headers carry ASCII only, and a newline must never end a header early).
    public var metadata: [String: String]
    /// Server-side encryption.
    public var serverSideEncryption: S3Settings.Encryption?
    /// KMS key for `aws:kms`.
    public var kmsKeyID: String?
    /// Storage class.
    public var storageClass: String?
    /// Object Lock retention for the uploaded version.
    public var objectLock: S3LockRetention?

    /// Options with only a content type and metadata.
    public init(contentType: String = "application/octet-stream", metadata: [String: String] = [:]) {
        self.contentType = contentType
        self.metadata = metadata
    }

    /// The configured encryption, storage class and Object Lock (retention counted from `now`).
    public init(settings: S3Settings, contentType: String, metadata: [String: String], now: Date) {
        self.init(contentType: contentType, metadata: metadata)
        serverSideEncryption = settings.serverSideEncryption
        kmsKeyID = settings.kmsKeyID
        storageClass = settings.storageClass
        if let lock = settings.objectLock {
            objectLock = S3LockRetention(
                mode: lock.mode, retainUntil: now.addingTimeInterval(Double(lock.retainDays) * 86_400))
        }
    }

    /// The headers for a PUT or a multipart upload's creation.
    func headers() -> [HTTPHeader] {
        var headers: [HTTPHeader] = []
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
            headers.append(HTTPHeader("x-amz-meta-" + name.lowercased(), Self.headerSafe(value)))
        }
        if let sse = serverSideEncryption {
            headers.append(HTTPHeader("x-amz-server-side-encryption", sse.rawValue))
            if sse == .kms, let key = kmsKeyID {
                headers.append(HTTPHeader("x-amz-server-side-encryption-aws-kms-key-id", key))
            }
        }
        if let storageClass { headers.append(HTTPHeader("x-amz-storage-class", storageClass)) }
        if let lock = objectLock {
            headers.append(HTTPHeader("x-amz-object-lock-mode", lock.mode.rawValue))
            // Whole seconds, "Z": the form S3 documents for this header.
            headers.append(
                HTTPHeader("x-amz-object-lock-retain-until-date", ISO8601DateFormatter().string(from: lock.retainUntil))
            )
        }
        return headers
    }

    /// `value` with `%`, controls and non-ASCII bytes percent-encoded.
    static func headerSafe(_ value: String) -> String {
        var result = ""
        for byte in value.utf8 {
            if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "%") {
                result.append(Character(Unicode.Scalar(byte)))
            } else {
                result += S3URL.percentEscape(byte)
            }
        }
        return result
    }
}

/// An Object Lock retention: the mode and the date until which the version cannot be deleted.
public struct S3LockRetention: Sendable, Equatable {
    /// GOVERNANCE or COMPLIANCE.
    public var mode: S3Settings.ObjectLock.Mode
    /// The version cannot be deleted before this date.
    public var retainUntil: Date

    /// A retention in `mode` until `retainUntil`.
    public init(mode: S3Settings.ObjectLock.Mode, retainUntil: Date) {
        self.mode = mode
        self.retainUntil = retainUntil
    }
}
