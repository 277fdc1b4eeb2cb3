public import Foundation
public import NetRavenCore
import NetRavenGit

/// Copies committed versions to S3 as `<prefix>/<device path>/<stamp>_<short commit>.cfg` and `latest.cfg`, then
/// reads both back (HEAD) and fails with `verificationFailed` unless size, SHA-256 metadata, checksum and ETag all
/// match what was sent: some S3-compatible stores (and moto) accept a body without checking its digests.
public struct VersionUploader: Sendable {
    /// The client for the configured bucket.
    public let client: S3Client
    /// The key layout (from the client's prefix).
    public var layout: S3ObjectLayout { S3ObjectLayout(prefix: client.settings.prefix) }

    /// An uploader through `client`.
    public init(client: S3Client) {
        self.client = client
    }

    /// Uploads `version` to both keys and verifies each; multipart at or above the configured threshold.
    /// - Parameter now: start of the Object Lock retention period.
    /// - Throws: `S3Error`; `isTransient` says whether the outbox should retry.
    public func upload(_ version: VersionUpload, now: Date = Date()) async throws -> UploadedVersion {
        let body = try await bytes(of: version)
        let digests = S3Digests(body: body, partSize: nil)
        var metadata = [
            "device": version.device, "commit": version.commit, "trigger": version.trigger,
            "sha256": digests.sha256Hex,
        ]
        if let user = version.user { metadata["user"] = user }
        let options = S3PutOptions(
            settings: client.settings, contentType: "text/plain; charset=utf-8", metadata: metadata, now: now)
        let multipart = body.count >= client.settings.multipartThreshold
        let snapshotKey = layout.snapshotKey(
            devicePath: version.devicePath, committedAt: version.committedAt, commit: version.commit)
        let latestKey = layout.latestKey(devicePath: version.devicePath)
        var results: [S3PutResult] = []
        for key in [snapshotKey, latestKey] {
            let result =
                multipart
                ? try await client.putObjectMultipart(key: key, body: body, options: options)
                : try await client.putObject(key: key, body: body, options: options)
            _ = try await verify(key: key, versionID: result.versionID, body: body, multipart: multipart)
            results.append(result)
        }
        return UploadedVersion(
            snapshotKey: snapshotKey, latestKey: latestKey, snapshot: results[0], latest: results[1], size: body.count,
            sha256: digests.sha256Hex, multipart: multipart)
    }

    /// Uploads an archive bundle as `<prefix>/archives/<fileName>` (multipart at or above the threshold) and
    /// verifies it like a version.
    /// - Returns: the key and what S3 stored.
    public func uploadBundle(
        fileName: String, body: [UInt8], now: Date = Date()
    ) async throws -> (key: String, result: S3PutResult) {
        let digests = S3Digests(body: body, partSize: nil)
        let options = S3PutOptions(
            settings: client.settings, contentType: "application/gzip",
            metadata: ["sha256": digests.sha256Hex, "kind": "archive-bundle"], now: now)
        let multipart = body.count >= client.settings.multipartThreshold
        let key = layout.archiveKey(fileName: fileName)
        let result =
            multipart
            ? try await client.putObjectMultipart(key: key, body: body, options: options)
            : try await client.putObject(key: key, body: body, options: options)
        try await verify(key: key, versionID: result.versionID, body: body, multipart: multipart)
        return (key, result)
    }

    /// Checks the stored object (the given version, when there is one) against `body`: size, the `sha256`
    /// metadata, S3's SHA-256 checksum and the ETag when S3 returns them, and with `readBack` the bytes themselves.
    /// - Parameter multipart: whether `body` went up in parts of the configured part size.
    /// - Throws: `S3Error` `.verificationFailed` naming every mismatch.
    @discardableResult
    public func verify(
        key: String, versionID: String?, body: [UInt8], multipart: Bool, readBack: Bool = false
    ) async throws -> S3ObjectHead {
        let expected = S3Digests(body: body, partSize: multipart ? client.settings.partSize : nil)
        let whole = S3Digests(body: body, partSize: nil)
        let head: S3ObjectHead
        var mismatches: [String] = []
        if readBack {
            let (stored, storedBody) = try await client.getObject(key: key, versionID: versionID)
            head = stored
            let actual = S3Digests(body: storedBody, partSize: nil).sha256Hex
            if actual != expected.sha256Hex {
                mismatches.append("content SHA-256 \(actual), sent \(expected.sha256Hex)")
            }
        } else {
            head = try await client.headObject(key: key, versionID: versionID)
        }
        if head.size != body.count { mismatches.append("size \(head.size), sent \(body.count)") }
        let metadataSHA = head.metadata["sha256"]
        if metadataSHA != expected.sha256Hex {
            mismatches.append("sha256 metadata \(metadataSHA ?? "missing"), sent \(expected.sha256Hex)")
        }
        // A multipart object's checksum is the composite `…-N` (moto leaves out the `-N`); some stores report the
        // whole body's instead.
        let compositeBase = expected.checksumSHA256.split(separator: "-").first.map(String.init)
        let accepted = [expected.checksumSHA256, whole.checksumSHA256] + (compositeBase.map { [$0] } ?? [])
        if let checksum = head.checksumSHA256, !accepted.contains(checksum) {
            mismatches.append("checksum \(checksum), sent \(expected.checksumSHA256)")
        }
        // With SSE-KMS (or SSE-C) the ETag is not an MD5, so it proves nothing either way.
        if client.settings.serverSideEncryption != .kms, let etag = head.etag, !etag.isEmpty, etag != expected.etag {
            mismatches.append("ETag \(etag), sent \(expected.etag)")
        }
        guard mismatches.isEmpty else {
            let version = versionID.map { " (version \($0))" } ?? ""
            throw S3Error(
                .verificationFailed, "\(key)\(version) read back differs: \(mismatches.joined(separator: "; "))")
        }
        return head
    }

    private func bytes(of version: VersionUpload) async throws -> [UInt8] {
        switch version.source {
        case .bytes(let data):
            return Array(data)
        case .archive(let repository, let path):
            // Opening a missing path would create an empty repository there.
            guard FileManager.default.fileExists(atPath: repository) else {
                throw S3Error(.sourceUnavailable, "no archive at \(repository)")
            }
            let text: String?
            do {
                let archive = try ConfigArchive(path: repository)
                do {
                    text = try await archive.read(path: path, revision: version.commit)
                    await archive.close()
                } catch {
                    await archive.close()
                    throw error
                }
            } catch {
                throw S3Error(
                    .sourceUnavailable, "cannot read \(path) at \(version.commit) from \(repository): \(error)")
            }
            guard let text else {
                throw S3Error(.sourceUnavailable, "\(path) does not exist at commit \(version.commit) in \(repository)")
            }
            return Array(text.utf8)
        }
    }
}
