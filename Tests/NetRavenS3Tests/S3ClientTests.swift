import Foundation
import NetRavenCore
import NetRavenS3
import NetRavenTestSupport
import Testing

/// Errors, listings and retention against a real moto_server with signature checking on.
@Suite(.serialized) struct S3ClientTests {
    @Test func wrongSecretIsRejectedWithoutShowingIt() async throws {
        try await S3Fixture.with { fixture in
            let wrongSecret = "Wr0ngSecretValue/ForTheTest+123456789"
            let wrong = AWSCredentials(
                accessKeyID: fixture.credentials.accessKeyID, secretAccessKey: Secret(wrongSecret), source: "test")
            let error = await #expect(throws: S3Error.self) {
                _ = try await fixture.client(credentials: wrong).putObject(key: "configs/x.cfg", body: Array("x".utf8))
            }
            #expect(error?.code == .signatureMismatch)
            #expect(error?.isTransient == false)
            #expect(error.map { !"\($0)".contains(wrongSecret) && !$0.message.contains(wrongSecret) } == true)
            #expect(error.map { !"\($0)".contains(fixture.credentials.secretAccessKey.value) } == true)
            #expect(!"\(wrong)".contains(wrongSecret))

            let unknown = AWSCredentials(
                accessKeyID: "AKIAUNKNOWNKEY000000", secretAccessKey: Secret("whatever-secret"), source: "test")
            let denied = await #expect(throws: S3Error.self) {
                _ = try await fixture.client(credentials: unknown).headObject(key: "configs/x.cfg")
            }
            #expect(denied?.code == .accessDenied)
        }
    }

    @Test func missingObjectsAndBucketsHaveTheirCodes() async throws {
        try await S3Fixture.with { fixture in
            let client = fixture.client()
            let missing = await #expect(throws: S3Error.self) {
                _ = try await client.getObject(key: "configs/none.cfg")
            }
            #expect(missing?.code == .notFound)
            let head = await #expect(throws: S3Error.self) { _ = try await client.headObject(key: "configs/none.cfg") }
            #expect(head?.code == .notFound)
            var other = fixture.settings()
            other.bucket = "netraven-no-such-bucket"
            let noBucket = await #expect(throws: S3Error.self) {
                _ = try await fixture.client(other).listObjects(prefix: "")
            }
            #expect(noBucket?.code == .noSuchBucket)
        }
    }

    @Test func unreachableEndpointIsTransient() async throws {
        let closed = try BoundClosedPort()
        var settings = S3Settings(bucket: "netraven-test", endpoint: "http://127.0.0.1:\(closed.port)")
        settings.timeout = .seconds(20)
        let client = S3Client(
            settings: settings,
            credentials: AWSCredentials(accessKeyID: "AKIA", secretAccessKey: Secret("not-used-secret"), source: "test")
        )
        let error = await #expect(throws: S3Error.self) { _ = try await client.putObject(key: "a", body: [1]) }
        #expect(error?.isTransient == true)
        try await client.shutdown()
    }

    @Test func listingFollowsContinuationTokensAndDeletes() async throws {
        try await S3Fixture.with { fixture in
            let client = fixture.client()
            let keys = (0..<5).map { "configs/many/k\($0).cfg" }
            for key in keys { _ = try await client.putObject(key: key, body: Array(key.utf8)) }
            let listed = try await client.listObjects(prefix: "configs/many/", pageSize: 2)
            #expect(listed.map(\.key) == keys)
            try await client.deleteObject(key: keys[0])
            #expect(try await client.listObjects(prefix: "configs/many/").map(\.key) == Array(keys.dropFirst()))
        }
    }

    @Test func retentionKeepsTheNewestPerDeviceAgainstRealListings() async throws {
        try await S3Fixture.with { fixture in
            let client = fixture.client()
            let uploader = VersionUploader(client: client)
            let now = Date(timeIntervalSince1970: 1_790_000_000)
            let day = 86_400.0
            // r1: versions 40, 35, 30 and 1 days old; r2: one version 90 days old (its only copy).
            for (index, age) in [40.0, 35, 30, 1].enumerated() {
                _ = try await uploader.upload(
                    VersionUploaderTests.version(
                        "hostname r1 v\(index)\n", commit: "aaaaaaa\(index)", at: now.addingTimeInterval(-age * day)))
            }
            _ = try await uploader.upload(
                VersionUploaderTests.version(
                    "hostname r2\n", commit: "bbbbbbb0", at: now.addingTimeInterval(-90 * day), device: "r2"))
            let archiveKey = S3ObjectLayout(prefix: "configs").archiveKey(
                fileName: ArchiveBundleName.fileName(at: now.addingTimeInterval(-100 * day)))
            _ = try await client.putObject(key: archiveKey, body: [1, 2, 3])
            _ = try await client.putObject(key: "configs/notes/readme.txt", body: Array("keep me".utf8))

            let retention = SnapshotRetention(client: client)
            let plan = try await retention.plan(policy: RetentionPolicy(keepDays: 14, keepMinimum: 2), now: now)
            // r1 keeps the 1-day version (young) and the 30-day one (the second newest); r2 and the bundle are the
            // last copies of their groups.
            #expect(
                plan.delete.map(\.key) == [
                    "configs/core/r1/\(UTCStamp.string(from: now.addingTimeInterval(-40 * day)))_aaaaaaa.cfg",
                    "configs/core/r1/\(UTCStamp.string(from: now.addingTimeInterval(-35 * day)))_aaaaaaa.cfg",
                ])
            try await retention.apply(plan)
            let remaining = try await client.listObjects(prefix: "configs/").map(\.key)
            #expect(remaining.count == 7)  // r1: 2 snapshots + latest; r2: 1 + latest; bundle; readme
            #expect(remaining.contains("configs/core/r1/latest.cfg"))
            #expect(remaining.contains("configs/core/r2/latest.cfg"))
            #expect(remaining.contains(archiveKey))
            #expect(remaining.contains("configs/notes/readme.txt"))
            let again = try await retention.plan(policy: RetentionPolicy(keepDays: 14, keepMinimum: 2), now: now)
            #expect(again.delete.isEmpty)
        }
    }
}
