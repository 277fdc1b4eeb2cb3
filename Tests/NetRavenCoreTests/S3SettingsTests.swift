import NetRavenCore
import NetRavenTestSupport
import Testing

/// The `s3:` section of netraven.yaml, read with file:line:column errors.
@Suite struct S3SettingsTests {
    let fixture: SectionFixture
    var directory: TemporaryDirectory { fixture.directory }

    init() throws {
        fixture = try SectionFixture()
        try fixture.directory.write("s3-secret", "file-secret-value\n")
    }

    func load(_ s3: String, environment: [String: String] = [:]) throws -> Configuration {
        try fixture.load(s3, environment: environment)
    }

    func problems(_ s3: String) -> [String] { fixture.problems(s3) }

    @Test func noSectionMeansNoUploads() throws {
        #expect(try load("").s3 == nil)
    }

    @Test func defaultsForAWS() throws {
        let s3 = try #require(try load("s3:\n  bucket: netraven-configs\n").s3)
        #expect(s3.region == "us-east-1")
        #expect(s3.effectiveEndpoint == "https://s3.us-east-1.amazonaws.com")
        #expect(!s3.pathStyle)
        #expect(s3.prefix == "")
        #expect(s3.multipartThreshold == 16 << 20)
        #expect(s3.partSize == 8 << 20)
        #expect(s3.retention == nil)
    }

    @Test func fullSection() throws {
        let s3 = try #require(
            try load(
                """
                s3:
                  bucket: netraven-configs
                  prefix: /netraven/prod/
                  region: eu-central-1
                  endpoint: "https://minio.example.net:9000/"
                  access_key_id: env:S3_KEY
                  secret_access_key: file:\(directory.path)/s3-secret
                  profile: backup
                  credentials_file: aws-credentials
                  server_side_encryption: aws:kms
                  kms_key_id: alias/netraven
                  storage_class: STANDARD_IA
                  object_lock: {mode: governance, retain_days: 90}
                  multipart_threshold: 32MiB
                  part_size: 8388608
                  timeout: 2m
                  retention: {keep_days: 365, keep_min: 10}
                """, environment: ["S3_KEY": "AKIAEXAMPLE"]
            ).s3)
        #expect(s3.prefix == "netraven/prod")
        #expect(s3.region == "eu-central-1")
        #expect(s3.endpoint == "https://minio.example.net:9000")
        #expect(s3.pathStyle)
        #expect(s3.accessKeyID?.value == "AKIAEXAMPLE")
        #expect(s3.secretAccessKey?.value == "file-secret-value")
        #expect(s3.profile == "backup")
        #expect(s3.credentialsFile == directory.path + "/aws-credentials")
        #expect(s3.serverSideEncryption == .kms)
        #expect(s3.kmsKeyID == "alias/netraven")
        #expect(s3.storageClass == "STANDARD_IA")
        #expect(s3.objectLock == S3Settings.ObjectLock(mode: .governance, retainDays: 90))
        #expect(s3.multipartThreshold == 32 << 20)
        #expect(s3.partSize == 8 << 20)
        #expect(s3.timeout == .seconds(120))
        #expect(s3.retention == RetentionPolicy(keepDays: 365, keepMinimum: 10))
    }

    @Test func pathStyleCanBeTurnedOffForAnEndpoint() throws {
        let s3 = try #require(
            try load("s3:\n  bucket: abc\n  endpoint: http://10.0.0.5:9000\n  path_style: false\n").s3)
        #expect(!s3.pathStyle)
    }

    @Test(arguments: [
        ("s3:\n  bucket: netraven\n  colour: blue\n", "6:3: unknown key 'colour' in s3"),
        ("s3:\n  prefix: x\n", "5:3: missing required key 'bucket' in s3"),
        ("s3:\n  bucket: Bad_Bucket\n", "5:11: s3.bucket 'Bad_Bucket' is not a valid bucket name"),
        ("s3:\n  bucket: abc\n  endpoint: minio:9000\n", "6:13: s3.endpoint must be a URL"),
        (
            "s3:\n  bucket: abc\n  server_side_encryption: DES\n",
            "6:27: s3.server_side_encryption must be AES256 or aws:kms"
        ),
        ("s3:\n  bucket: abc\n  kms_key_id: k\n", "6:15: s3.kms_key_id needs server_side_encryption: aws:kms"),
        ("s3:\n  bucket: abc\n  part_size: 1MiB\n", "6:14: s3.part_size must be between 5242880 and"),
        ("s3:\n  bucket: abc\n  multipart_threshold: lots\n", "6:24: s3.multipart_threshold must be a size"),
        ("s3:\n  bucket: abc\n  object_lock: {mode: forever, retain_days: 3}\n", "6:23: s3.object_lock.mode must be"),
        ("s3:\n  bucket: abc\n  retention: {keep_min: 3}\n", "6:14: missing required key 'keep_days' in s3.retention"),
        ("s3:\n  bucket: abc\n  access_key_id: AKIA\n", "6:18: s3.access_key_id and s3.secret_access_key must be set"),
        ("s3:\n  bucket: abc\n  secret_access_key: env:NOPE\n", "6:22: environment variable NOPE is not set"),
        ("s3:\n  bucket: abc\n  path_style: maybe\n", "6:15: s3.path_style must be true or false"),
    ])
    func badValuesAreReportedWhereTheyAre(yaml: String, expected: String) {
        let found = problems(yaml)
        #expect(found.contains { $0.hasPrefix(expected) }, "\(found)")
    }

    @Test func secretsNeverAppearInMessages() {
        let found = problems(
            "s3:\n  bucket: abc\n  access_key_id: AKIA\n  secret_access_key: TopSecretValue123\n  colour: x\n")
        #expect(!found.isEmpty)
        #expect(!found.joined().contains("TopSecretValue123"))
    }
}
