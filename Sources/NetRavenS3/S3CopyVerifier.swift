public import NetRavenCore

/// Checks the S3 copies against the Git archive: each device's `latest.cfg` must hold exactly the bytes of its
/// current version in Git (size and SHA-256 of the stored bytes, and the `sha256` metadata must agree with them).
public struct S3CopyVerifier: Sendable {
    public let client: S3Client

    public init(client: S3Client) {
        self.client = client
    }

    /// One device's current version in Git: its archive path (`core/r1.cfg`) and bytes.
    public struct Expected: Sendable {
        public var archivePath: String
        public var body: [UInt8]

        public init(archivePath: String, body: [UInt8]) {
            self.archivePath = archivePath
            self.body = body
        }
    }

    /// Every mismatch between the S3 copies and `expected`; paths in the report are the S3 keys.
    /// - Throws: `S3Error` when S3 cannot be read at all (a missing object is a mismatch, not an error).
    public func verify(_ expected: [Expected]) async throws -> VerificationReport {
        let layout = S3ObjectLayout(prefix: client.settings.prefix)
        var wanted: [VerificationReport.FileDigest] = []
        var found: [VerificationReport.FileDigest] = []
        var metadataMismatches: [VerificationReport.Mismatch] = []
        for item in expected {
            let key = layout.latestKey(devicePath: S3ObjectLayout.devicePath(forArchivePath: item.archivePath))
            wanted.append(.init(path: key, size: item.body.count, sha256: S3Digests(body: item.body, partSize: nil).sha256Hex))
            let stored: (head: S3ObjectHead, body: [UInt8])
            do {
                stored = try await client.getObject(key: key)
            } catch let error as S3Error where error.code == .notFound {
                continue  // reported as missing by the report
            }
            let actual = S3Digests(body: stored.body, partSize: nil).sha256Hex
            found.append(.init(path: key, size: stored.body.count, sha256: actual))
            if let claimed = stored.head.metadata["sha256"], claimed != actual {
                metadataMismatches.append(
                    .init(
                        kind: .sha256, path: key, expected: actual, observed: claimed,
                        detail: "the sha256 metadata does not match the stored bytes"))
            }
        }
        var report = VerificationReport(expected: wanted, observed: found)
        for mismatch in metadataMismatches { report.record(mismatch) }
        return report
    }
}
