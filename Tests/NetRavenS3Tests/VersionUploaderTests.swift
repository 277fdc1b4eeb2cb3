import Crypto
import Foundation
import NetRavenCore
import NetRavenGit
import NetRavenS3
import NetRavenTestSupport
import Testing

/// Uploads against a real moto_server with signature checking on.
@Suite(.serialized) struct VersionUploaderTests {
    static let committedAt = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21T14:13:20Z

    static func version(
        _ text: String, commit: String = "0123456789abcdef0123456789abcdef01234567", at date: Date = committedAt,
        device: String = "r1"
    )
        -> VersionUpload
    {
        VersionUpload(
            device: device, devicePath: "core/\(device)", commit: commit, trigger: "syslog", user: "alice",
            committedAt: date, source: .bytes(Data(text.utf8)))
    }

    @Test func uploadStoresBothKeysWithMetadataAndChecksums() async throws {
        try await S3Fixture.with { fixture in
            let client = fixture.client()
            let text = "hostname r1\ninterface Gi0/1\n description uplink\n"
            let uploaded = try await VersionUploader(client: client).upload(Self.version(text))
            #expect(uploaded.snapshotKey == "configs/core/r1/20260921T141320Z_0123456.cfg")
            #expect(uploaded.latestKey == "configs/core/r1/latest.cfg")
            #expect(!uploaded.multipart)
            let sha = SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
            #expect(uploaded.sha256 == sha)
            for key in [uploaded.snapshotKey, uploaded.latestKey] {
                let head = try await client.headObject(key: key)
                #expect(head.size == text.utf8.count)
                #expect(head.metadata["device"] == "r1")
                #expect(head.metadata["commit"] == "0123456789abcdef0123456789abcdef01234567")
                #expect(head.metadata["trigger"] == "syslog")
                #expect(head.metadata["user"] == "alice")
                #expect(head.metadata["sha256"] == sha)
                #expect(head.checksumSHA256 == Data(SHA256.hash(data: Array(text.utf8))).base64EncodedString())
                #expect(head.contentType?.hasPrefix("text/plain") == true)
                let (_, body) = try await client.getObject(key: key)
                #expect(String(decoding: body, as: UTF8.self) == text)
            }
            let listed = try await client.listObjects(prefix: "configs/").map(\.key)
            #expect(listed == [uploaded.snapshotKey, uploaded.latestKey].sorted())
        }
    }

    @Test func versionedBucketKeepsEveryVersionOfLatest() async throws {
        try await S3Fixture.with(versioning: true) { fixture in
            let client = fixture.client()
            let uploader = VersionUploader(client: client)
            let first = try await uploader.upload(Self.version("hostname r1\n", commit: "aaaaaaaaaa"))
            let second = try await uploader.upload(
                Self.version("hostname r1-new\n", commit: "bbbbbbbbbb", at: Self.committedAt.addingTimeInterval(60)))
            let firstVersion = try #require(first.latest.versionID)
            let secondVersion = try #require(second.latest.versionID)
            #expect(firstVersion != secondVersion)
            let versions = try await client.listObjectVersions(prefix: "configs/core/r1/latest.cfg")
            #expect(Set(versions.map(\.versionID)) == [firstVersion, secondVersion])
            #expect(versions.first { $0.isLatest }?.versionID == secondVersion)
            let (_, old) = try await client.getObject(key: first.latestKey, versionID: firstVersion)
            #expect(String(decoding: old, as: UTF8.self) == "hostname r1\n")
            let (_, current) = try await client.getObject(key: first.latestKey)
            #expect(String(decoding: current, as: UTF8.self) == "hostname r1-new\n")
            #expect(first.snapshotKey != second.snapshotKey)
        }
    }

    @Test func largeVersionGoesUpInPartsAndVerifies() async throws {
        try await S3Fixture.with { fixture in
            var settings = fixture.settings()
            settings.multipartThreshold = 5 << 20
            settings.partSize = 5 << 20
            let client = fixture.client(settings)
            // 11 MiB of varied lines: three parts (5 + 5 + 1 MiB).
            var text = ""
            var line = 0
            while text.utf8.count < 11 << 20 {
                text += "interface Gi0/\(line)\n description port \(line) of many\n"
                line += 1
            }
            let uploaded = try await VersionUploader(client: client).upload(Self.version(text))
            #expect(uploaded.multipart)
            #expect(uploaded.size == text.utf8.count)
            let head = try await client.headObject(key: uploaded.snapshotKey)
            #expect(head.size == text.utf8.count)
            #expect(head.etag?.hasSuffix("-3") == true)
            let (_, body) = try await client.getObject(key: uploaded.latestKey)
            #expect(body == Array(text.utf8))
        }
    }

    @Test func verificationCatchesATamperedObject() async throws {
        try await S3Fixture.with { fixture in
            let client = fixture.client()
            let uploader = VersionUploader(client: client)
            let text = "hostname r1\nsnmp-server community public RO\n"
            let uploaded = try await uploader.upload(Self.version(text))
            try await uploader.verify(
                key: uploaded.snapshotKey, versionID: nil, body: Array(text.utf8), multipart: false)
            // Someone replaces the object with same-size bytes and copies the old metadata over.
            let head = try await client.headObject(key: uploaded.snapshotKey)
            let forged = text.replacingOccurrences(of: "public", with: "secret")
            _ = try await client.putObject(
                key: uploaded.snapshotKey, body: Array(forged.utf8),
                options: S3PutOptions(contentType: "text/plain", metadata: head.metadata))
            for readBack in [false, true] {
                let error = await #expect(throws: S3Error.self) {
                    try await uploader.verify(
                        key: uploaded.snapshotKey, versionID: nil, body: Array(text.utf8), multipart: false,
                        readBack: readBack)
                }
                #expect(error?.code == .verificationFailed)
                #expect(error?.isTransient == false)
            }
        }
    }

    @Test func encryptionStorageClassAndObjectLockHeadersAreAccepted() async throws {
        try await S3Fixture.with(objectLock: true) { fixture in
            var settings = fixture.settings()
            settings.serverSideEncryption = .aes256
            settings.storageClass = "STANDARD_IA"
            settings.objectLock = S3Settings.ObjectLock(mode: .governance, retainDays: 30)
            let client = fixture.client(settings)
            let uploaded = try await VersionUploader(client: client).upload(
                Self.version("hostname r1\n"), now: Self.committedAt)
            let head = try await client.headObject(key: uploaded.snapshotKey)
            #expect(head.serverSideEncryption == "AES256")
            #expect(head.storageClass == "STANDARD_IA")
            #expect(head.objectLockMode == "GOVERNANCE")
            #expect(head.objectLockRetainUntil?.hasPrefix("2026-10-21T14:13:20") == true)
        }
    }

    @Test func versionIsReadFromTheGitArchiveAtItsCommit() async throws {
        let directory = try TemporaryDirectory()
        let repository = directory.path + "/archive.git"
        let archive = try ConfigArchive(path: repository)
        let signature = ArchiveSignature(name: "NetRaven", email: "netraven@localhost", date: Self.committedAt)
        let first = try await archive.commit(
            files: [ArchiveFile(path: "core/r1.cfg", contents: "hostname r1\n")], message: "r1: first",
            author: signature, committer: signature)
        _ = try await archive.commit(
            files: [ArchiveFile(path: "core/r1.cfg", contents: "hostname r1-later\n")], message: "r1: second",
            author: signature, committer: signature)
        await archive.close()
        let commit = try #require(first?.commit.id)
        try await S3Fixture.with { fixture in
            let client = fixture.client()
            let uploaded = try await VersionUploader(client: client).upload(
                VersionUpload(
                    device: "r1", devicePath: "core/r1", commit: commit, trigger: "sweep",
                    committedAt: Self.committedAt,
                    source: .archive(repository: repository, path: "core/r1.cfg")))
            let (head, body) = try await client.getObject(key: uploaded.snapshotKey)
            #expect(String(decoding: body, as: UTF8.self) == "hostname r1\n")
            #expect(head.metadata["user"] == nil)
            let missing = await #expect(throws: S3Error.self) {
                try await VersionUploader(client: client).upload(
                    VersionUpload(
                        device: "r1", devicePath: "core/r1", commit: commit, trigger: "sweep",
                        committedAt: Self.committedAt, source: .archive(repository: repository, path: "core/r9.cfg")))
            }
            #expect(missing?.code == .sourceUnavailable)
        }
    }

    @Test func uploadRequestRoundTripsThroughJSON() throws {
        let version = Self.version("hostname r1\n")
        let data = try JSONEncoder().encode(version)
        #expect(try JSONDecoder().decode(VersionUpload.self, from: data) == version)
    }
}
