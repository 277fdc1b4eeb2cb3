public import Foundation

/// One object in a listing.
public struct S3ObjectSummary: Sendable, Equatable {
    /// The full key.
    public var key: String
    /// Size in bytes.
    public var size: Int
    /// The ETag without quotes.
    public var etag: String?
    /// When S3 stored it.
    public var lastModified: Date?
    /// Storage class as listed.
    public var storageClass: String?
}

/// One version (or delete marker) in a versioned bucket's listing.
public struct S3ObjectVersion: Sendable, Equatable {
    /// The full key.
    public var key: String
    /// The version id ("null" for objects stored before versioning was turned on).
    public var versionID: String
    /// Whether this is the current version.
    public var isLatest: Bool
    /// A delete marker rather than data.
    public var isDeleteMarker: Bool
    /// Size in bytes (0 for delete markers).
    public var size: Int
    /// When S3 stored it.
    public var lastModified: Date?
}

extension S3Client {
    /// Every object under `prefix` (ListObjectsV2, following continuation tokens), in key order.
    /// - Parameter pageSize: keys per request (S3's default and maximum is 1000).
    public func listObjects(prefix: String, pageSize: Int? = nil) async throws -> [S3ObjectSummary] {
        var objects: [S3ObjectSummary] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            if let pageSize { query.append(("max-keys", String(pageSize))) }
            let response = try await send(S3Request(method: "GET", key: nil, query: query), what: "list \(prefix)")
            guard let document = XMLNode.parse(response.body), document.name == "ListBucketResult" else {
                throw S3Error(.invalidResponse, "list \(prefix): the response is not a ListBucketResult")
            }
            for item in document.children("Contents") {
                guard let key = item.value("Key") else { continue }
                objects.append(
                    S3ObjectSummary(
                        key: key, size: item.value("Size").flatMap { Int($0) } ?? 0,
                        etag: item.value("ETag").map { $0.trimmingCharacters(in: ["\""]) },
                        lastModified: item.value("LastModified").flatMap(Self.parseDate),
                        storageClass: item.value("StorageClass")))
            }
            token = document.value("IsTruncated") == "true" ? document.value("NextContinuationToken") : nil
        } while token != nil
        return objects
    }

    /// Every version and delete marker under `prefix` (ListObjectVersions, following the markers).
    public func listObjectVersions(prefix: String) async throws -> [S3ObjectVersion] {
        var versions: [S3ObjectVersion] = []
        var marker: (key: String, version: String)?
        repeat {
            var query = [("versions", ""), ("prefix", prefix)]
            if let marker { query += [("key-marker", marker.key), ("version-id-marker", marker.version)] }
            let response = try await send(
                S3Request(method: "GET", key: nil, query: query), what: "list versions \(prefix)")
            guard let document = XMLNode.parse(response.body), document.name == "ListVersionsResult" else {
                throw S3Error(.invalidResponse, "list versions \(prefix): the response is not a ListVersionsResult")
            }
            for item in document.children where item.name == "Version" || item.name == "DeleteMarker" {
                guard let key = item.value("Key") else { continue }
                versions.append(
                    S3ObjectVersion(
                        key: key, versionID: item.value("VersionId") ?? "null",
                        isLatest: item.value("IsLatest") == "true",
                        isDeleteMarker: item.name == "DeleteMarker", size: item.value("Size").flatMap { Int($0) } ?? 0,
                        lastModified: item.value("LastModified").flatMap(Self.parseDate)))
            }
            if document.value("IsTruncated") == "true", let key = document.value("NextKeyMarker") {
                marker = (key, document.value("NextVersionIdMarker") ?? "")
            } else {
                marker = nil
            }
        } while marker != nil
        return versions
    }

    /// S3's listing dates: ISO 8601 with or without fractional seconds.
    static func parseDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
