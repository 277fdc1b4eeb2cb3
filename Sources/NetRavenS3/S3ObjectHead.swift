import Foundation
import NetRavenHTTP

/// What S3 says about a stored object (HEAD, or GET without the body).
public struct S3ObjectHead: Sendable, Equatable {
    /// Size in bytes.
    public var size: Int
    /// The ETag without quotes: the MD5 of single-part uploads without SSE-KMS, `md5-of-md5s-N` for multipart.
    public var etag: String?
    /// `x-amz-checksum-sha256`, base64 (`…-N` for a multipart object), when S3 stored one.
    public var checksumSHA256: String?
    /// The version id in a versioned bucket.
    public var versionID: String?
    /// User metadata (`x-amz-meta-*`), names lower-case without the prefix.
    public var metadata: [String: String]
    /// The stored content type.
    public var contentType: String?
    /// The storage class (absent for STANDARD on AWS).
    public var storageClass: String?
    /// The server-side encryption applied.
    public var serverSideEncryption: String?
    /// Object Lock mode (GOVERNANCE, COMPLIANCE) as S3 wrote it.
    public var objectLockMode: String?
    /// Object Lock retain-until date as S3 wrote it (ISO 8601).
    public var objectLockRetainUntil: String?

    init(response: HTTPResponse) {
        size = response.header("Content-Length").flatMap { Int($0) } ?? response.body.count
        etag = response.header("ETag").map { $0.trimmingCharacters(in: ["\""]) }
        checksumSHA256 = response.header("x-amz-checksum-sha256")
        versionID = versionIDHeader(response)
        var metadata: [String: String] = [:]
        for header in response.headers where header.name.lowercased().hasPrefix("x-amz-meta-") {
            metadata[String(header.name.lowercased().dropFirst("x-amz-meta-".count))] = header.value
        }
        self.metadata = metadata
        contentType = response.header("Content-Type")
        storageClass = response.header("x-amz-storage-class")
        serverSideEncryption = response.header("x-amz-server-side-encryption")
        objectLockMode = response.header("x-amz-object-lock-mode")
        objectLockRetainUntil = response.header("x-amz-object-lock-retain-until-date")
    }
}

/// What a PUT or a completed multipart upload returned.
public struct S3PutResult: Sendable, Equatable, Codable {
    /// The ETag without quotes.
    public var etag: String?
    /// The new version's id in a versioned bucket.
    public var versionID: String?

    /// A result with these values.
    public init(etag: String?, versionID: String?) {
        self.etag = etag
        self.versionID = versionID
    }

    init(response: HTTPResponse) {
        etag = response.header("ETag").map { $0.trimmingCharacters(in: ["\""]) }
        versionID = versionIDHeader(response)
    }
}

/// The version id S3 sent; "null" (an unversioned bucket's answer) is no version: moto refuses `versionId=null`.
func versionIDHeader(_ response: HTTPResponse) -> String? {
    guard let value = response.header("x-amz-version-id"), value != "null", !value.isEmpty else { return nil }
    return value
}
