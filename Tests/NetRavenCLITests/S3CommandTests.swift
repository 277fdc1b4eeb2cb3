import Foundation
import NetRavenCore
import NetRavenLab
import NetRavenS3
import NetRavenTestSupport
import Testing

/// `netraven upload` and `netraven retention` as a user runs them, against the lab and a moto_server.
@Suite struct S3CommandTests {
    @Test func uploadThenRetentionOnS3AndLocalBundles() async throws {
        let server = try await MotoServer.start()
        defer { server.stop() }
        let credentials = AWSCredentials(
            accessKeyID: "AKIACLITEST", secretAccessKey: Secret("cli-test-secret-value"), source: "test")
        var settings = S3Settings(bucket: "netraven-cli", endpoint: server.endpoint)
        settings.prefix = "lab"
        let client = S3Client(settings: settings, credentials: credentials)
        try await client.createBucket()
        // Three old bundles: with keep_min 1 the two oldest go.
        let layout = S3ObjectLayout(prefix: "lab")
        let bundleKeys = (2020...2022).map {
            layout.archiveKey(fileName: "netraven-archive-\($0)0101T000000Z.tar.gz")
        }
        for key in bundleKeys { _ = try await client.putObject(key: key, body: [1]) }

        try await CLITests().withLabAndConfig(devices: 1) { _, config, directory in
            let env = [
                "LAB_PASSWORD": "admin", "AWS_ACCESS_KEY_ID": "AKIACLITEST",
                "AWS_SECRET_ACCESS_KEY": "cli-test-secret-value",
            ]
            let backup = try netraven(["backup", "--config", config, "r1"], environment: env)
            #expect(backup.status == 0, "\(backup.stderr)")
            let text = try String(contentsOfFile: config, encoding: .utf8)
            try
                (text + "\ns3:\n  bucket: netraven-cli\n  prefix: lab\n  endpoint: \(server.endpoint)\n"
                + "  retention: {keep_days: 30, keep_min: 1}\n").write(
                    toFile: config, atomically: true, encoding: .utf8)

            let upload = try netraven(["upload", "--config", config, "--json", "r1"], environment: env)
            #expect(upload.status == 0, "\(upload.stdout) \(upload.stderr)")
            #expect(upload.stdout.contains("\"status\":\"uploaded\""), "\(upload.stdout)")
            #expect(
                !upload.stdout.contains("cli-test-secret-value") && !upload.stderr.contains("cli-test-secret-value"))
            let keys = try await client.listObjects(prefix: "lab/lab/r1/").map(\.key)
            #expect(keys.count == 2 && keys.contains("lab/lab/r1/latest.cfg"), "\(keys)")

            let dryRun = try netraven(
                ["retention", "--config", config, "--s3", "--dry-run", "--json"], environment: env)
            #expect(dryRun.status == 0, "\(dryRun.stderr)")
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(dryRun.stdout.utf8)) as? [String: Any])
            let candidates = try #require(document["candidates"] as? [[String: Any]])
            #expect(candidates.compactMap { $0["key"] as? String } == Array(bundleKeys.prefix(2)))
            #expect(try await client.listObjects(prefix: "lab/archives/").count == 3, "a dry run deletes nothing")

            let run = try netraven(["retention", "--config", config, "--s3"], environment: env)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("deleted 2 of 2"), "\(run.stdout)")
            #expect(try await client.listObjects(prefix: "lab/archives/").map(\.key) == [bundleKeys[2]])
            #expect(try await client.listObjects(prefix: "lab/lab/r1/").count == 2, "the device's copies stay")

            let bundles = try TemporaryDirectory()
            for year in 2020...2021 { try bundles.write("netraven-archive-\(year)0101T000000Z.tar.gz", "x") }
            let local = try netraven(
                ["retention", "--config", config, "--local", bundles.path, "--keep-days", "1"], environment: env)
            #expect(local.status == 0, "\(local.stderr)")
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: bundles.path)
                    == ["netraven-archive-20210101T000000Z.tar.gz"])

            let neither = try netraven(["retention", "--config", config], environment: env)
            #expect(neither.status == 2)
            _ = directory
        }
        try await client.shutdown()
    }

    @Test func archiveGoesToS3AndVerifyChecksTheCopiesAgainstGit() async throws {
        let server = try await MotoServer.start()
        defer { server.stop() }
        let credentials = AWSCredentials(
            accessKeyID: "AKIACLITEST", secretAccessKey: Secret("cli-test-secret-value"), source: "test")
        var settings = S3Settings(bucket: "netraven-verify", endpoint: server.endpoint)
        settings.prefix = "lab"
        let client = S3Client(settings: settings, credentials: credentials)
        try await client.createBucket()
        try await CLITests().withLabAndConfig(devices: 2) { lab, config, _ in
            let env = [
                "LAB_PASSWORD": "admin", "AWS_ACCESS_KEY_ID": "AKIACLITEST",
                "AWS_SECRET_ACCESS_KEY": "cli-test-secret-value",
            ]
            let backup = try netraven(["backup", "--config", config, "r1", "r2"], environment: env)
            #expect(backup.status == 0, "\(backup.stdout) \(backup.stderr)")
            let text = try String(contentsOfFile: config, encoding: .utf8)
            try (text + "\ns3:\n  bucket: netraven-verify\n  prefix: lab\n  endpoint: \(server.endpoint)\n").write(
                toFile: config, atomically: true, encoding: .utf8)

            // Nothing uploaded yet: every copy is missing.
            let before = try netraven(["verify", "--config", config, "--s3"], environment: env)
            #expect(before.status == 1)
            #expect(before.stdout.contains("lab/lab/r1/latest.cfg: missing"), "\(before.stdout)")
            #expect(try netraven(["upload", "--config", config], environment: env).status == 0)
            let clean = try netraven(["verify", "--config", config, "--s3"], environment: env)
            #expect(clean.status == 0, "\(clean.stdout) \(clean.stderr)")
            #expect(clean.stdout.contains("clean (2 entries checked against the Git)"), "\(clean.stdout)")
            // Someone replaces a copy: the check names it.
            _ = try await client.putObject(key: "lab/lab/r2/latest.cfg", body: Array("hostname evil\n".utf8))
            let tampered = try netraven(["verify", "--config", config, "--s3", "--json"], environment: env)
            #expect(tampered.status == 1)
            #expect(tampered.stdout.contains("lab/lab/r2/latest.cfg") && !tampered.stdout.contains("lab/lab/r1/latest.cfg"))

            // The bundle goes to S3 only: uploaded, verified, and its bytes are a gzip with a manifest.
            let archive = try netraven(["archive", "--config", config, "--s3", "--json"], environment: env)
            #expect(archive.status == 0, "\(archive.stderr)")
            let summary = try #require(
                try JSONSerialization.jsonObject(with: Data(archive.stdout.utf8)) as? [String: Any], "\(archive.stdout)")
            let key = try #require(summary["s3_key"] as? String)
            #expect(key.hasPrefix("lab/archives/netraven-archive-") && key.hasSuffix(".tar.gz"))
            #expect(summary["path"] == nil || summary["path"] is NSNull)
            let stored = try await client.getObject(key: key)
            #expect(stored.head.metadata["sha256"] == summary["sha256"] as? String)
            #expect(Array(stored.body.prefix(2)) == [0x1f, 0x8b], "gzip magic")
            let missing = try netraven(["archive", "--config", config], environment: env)
            #expect(missing.status != 0, "neither --output nor --s3")

            // With s3: configured, a backup uploads what it commits itself (no separate upload).
            lab.device(named: "r2")?.applyChange(LabConfigChange(user: "jdoe", add: ["ntp server 10.9.9.9"]))
            let backup2 = try netraven(["backup", "--config", config, "r2"], environment: env)
            #expect(backup2.status == 0, "\(backup2.stderr)")
            let after = try netraven(["verify", "--config", config, "--s3"], environment: env)
            #expect(after.status == 0, "\(after.stdout)")
            let latest = try await client.getObject(key: "lab/lab/r2/latest.cfg")
            #expect(String(decoding: latest.body, as: UTF8.self).contains("ntp server 10.9.9.9"))
        }
        try await client.shutdown()
    }
}
