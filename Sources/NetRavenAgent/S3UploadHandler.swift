public import Logging
public import NetRavenJournal
public import NetRavenCore
import NetRavenMetrics
public import NetRavenS3

/// The outbox handler of kind `s3-upload`: uploads one committed version and verifies it; transient failures
/// (endpoint down, 5xx, network) are retried by the outbox, others rejected with the reason.
public struct S3UploadHandler: Sendable {
    let uploader: VersionUploader
    let logger: Logger

    public init(client: S3Client, logger: Logger) {
        uploader = VersionUploader(client: client)
        self.logger = logger
    }

    public func handle(_ item: OutboxItem) async -> OutboxResult {
        let version: VersionUpload
        do {
            version = try item.decodePayload(VersionUpload.self)
        } catch {
            return .reject("unreadable upload request: \(error)")
        }
        var log = logger.module("netraven.upload")
        log[metadataKey: "device"] = "\(version.device)"
        do {
            let uploaded = try await uploader.upload(version)
            log.notice(
                "uploaded and verified",
                metadata: [
                    "key": "\(uploaded.snapshotKey)", "size": "\(uploaded.size)", "sha256": "\(uploaded.sha256)",
                    "multipart": "\(uploaded.multipart)",
                ])
            return .delivered
        } catch let error as S3Error {
            MetricsRegistry.shared.catalog.uploadFailures.increment()
            log.warning(
                "upload failed", metadata: ["reason": "\(error)", "transient": "\(error.isTransient)"])
            // A version must never be dropped: a missing bucket, refused credentials or a failed read-back are
            // fixed by an operator, after which the retry succeeds (stuck items are alerted as outbox_stuck). Only
            // a version the archive cannot give any more is given up.
            return error.code == .sourceUnavailable ? .reject("\(error)") : .retry("\(error)")
        } catch {
            MetricsRegistry.shared.catalog.uploadFailures.increment()
            return .retry("\(error)")
        }
    }
}
