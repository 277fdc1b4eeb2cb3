import Foundation
import NetRavenCore
import NetRavenJournal
import NetRavenLab
import NetRavenS3
import NetRavenTestSupport
import Testing

/// Issue 6 fault test: S3 and the Git remote are both unavailable for a while, through `netraven run`. The daemon
/// keeps committing locally, the outbox holds the pushes and uploads with their reasons, and once both are back
/// every version reaches the remote and S3, in commit order.
@Suite(.serialized) struct OutageTests {
    static let accessKey = "AKIAOUTAGETEST"
    static let secretKey = "outage-test-secret-value"

    /// Versions per device committed while both are down.
    static let outageVersions = 3

    @Test func s3AndTheGitRemoteDownTogetherLoseNoVersion() async throws {
        var moto = try await MotoServer.start()
        defer { moto.stop() }
        let motoPort = moto.port
        var settings = S3Settings(bucket: "netraven-outage", endpoint: moto.endpoint)
        settings.prefix = "lab"
        let credentials = AWSCredentials(
            accessKeyID: Self.accessKey, secretAccessKey: Secret(Self.secretKey), source: "test")
        let client = S3Client(settings: settings, credentials: credentials)
        try await client.createBucket()

        let daemonTests = DaemonTests()
        try await daemonTests.withLab(devices: 2) { lab, endpoints, directory in
            let remote = directory.path + "/remote.git"
            let away = remote + ".away"
            try tool("git", ["init", "--bare", "--quiet", "--initial-branch=main", remote])
            let config = try daemonTests.writeDaemonConfiguration(in: directory, endpoints: endpoints)
            // Retries every 200 ms - 1 s, so the test sees several failed attempts and a quick recovery.
            let extra = """

                archive: {remote: {url: "file://\(remote)"}}
                s3: {bucket: netraven-outage, prefix: lab, endpoint: "\(moto.endpoint)"}
                outbox: {retry_initial: 200ms, retry_max: 1s}

                """
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: config))
            handle.seekToEndOfFile()
            handle.write(Data(extra.utf8))
            try handle.close()
            let journalPath = directory.path + "/state/journal.sqlite"
            let archive = directory.path + "/state/archive.git"
            let daemon = try DaemonProcess(
                config: config, logPath: directory.path + "/daemon.log",
                environment: ["AWS_ACCESS_KEY_ID": Self.accessKey, "AWS_SECRET_ACCESS_KEY": Self.secretKey])
            #expect(daemon.waitUntilReady(), "\(daemon.log)")
            let sender = try SyslogTCPSender(port: try #require(daemon.ports.syslogTCP))
            var changes = 0

            /// Changes `device` in the lab, tells the daemon by syslog and waits until the change is committed.
            func changeAndWaitForCommit(_ device: LabEndpoints.Device) async throws {
                changes += 1
                let committedBefore = try await committedJobs(journalPath, device: device.name)
                lab.device(named: device.name)?.applyChange(
                    LabConfigChange(user: "u\(changes)", add: ["ntp server 10.77.\(changes / 250).\(changes % 250)"]))
                #expect(sender.send(DaemonTests.changeLine(device, user: "u\(changes)", n: changes)))
                let committed = try await daemonTests.waitForJournal(journalPath) { journal in
                    try await journal.jobs(device: device.name, state: .committed, limit: 1000).count > committedBefore
                }
                #expect(committed, "change \(changes) on \(device.name) was not committed:\n\(daemon.log)")
            }

            // Before the outage: one version per device, pushed and uploaded.
            for device in endpoints.devices { try await changeAndWaitForCommit(device) }
            #expect(try await waitForDelivery(journalPath, remote: remote, archive: archive), "\(daemon.log)")

            // Both go away: moto is killed (its in-memory bucket with it), the remote directory is moved.
            moto.stop()
            try FileManager.default.moveItem(atPath: remote, toPath: away)
            for _ in 0..<Self.outageVersions {
                for device in endpoints.devices { try await changeAndWaitForCommit(device) }
            }
            let localCommits = Int(try tool("git", ["--git-dir", archive, "rev-list", "--count", "HEAD"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines))
            let expectedCommits = endpoints.devices.count * (1 + Self.outageVersions)
            #expect(localCommits == expectedCommits, "every change is committed locally during the outage")
            // The outbox holds them, with the reason of the last failed attempt.
            let held = try await daemonTests.waitForJournal(journalPath) { journal in
                let pending = try await journal.pendingItems(limit: 1000)
                let failedPush = pending.contains { $0.kind == OutboxKind.push && $0.lastError != nil }
                let failedUploads = pending.filter { $0.kind == OutboxKind.s3Upload && $0.lastError != nil }
                return failedPush && Set(failedUploads.map(\.key)).count == endpoints.devices.count
            }
            #expect(held, "pushes and uploads wait in the outbox with their reasons:\n\(daemon.log)")
            #expect(try revision(away, "main") != revision(archive, "HEAD"))

            // Both come back (a fresh moto on the same port: the bucket is created anew, with versioning so the
            // order of the uploads of latest.cfg can be read back).
            moto = try await MotoServer.start(port: motoPort)
            try await client.createBucket()
            try await client.setVersioning(enabled: true)
            try FileManager.default.moveItem(atPath: away, toPath: remote)
            #expect(
                try await waitForDelivery(journalPath, remote: remote, archive: archive),
                "the outbox drains:\n\(daemon.log)")

            // Git: the remote has every commit, the local HEAD.
            #expect(try revision(remote, "main") == revision(archive, "HEAD"))
            let remoteCommits = try tool("git", ["--git-dir", remote, "rev-list", "--count", "main"]).stdout
            #expect(Int(remoteCommits.trimmingCharacters(in: .whitespacesAndNewlines)) == expectedCommits)

            // S3: every version committed during the outage, once, and latest.cfg written in commit order.
            for device in endpoints.devices {
                let path = "lab/\(device.name).cfg"
                let commits = try tool("git", ["--git-dir", archive, "log", "--format=%H", "--", path]).stdout
                    .split(separator: "\n").map(String.init)
                let outageCommits = Array(commits.prefix(Self.outageVersions))  // newest first
                let folder = "lab/lab/\(device.name)/"
                let layout = S3ObjectLayout(prefix: "lab")
                let snapshots = try await client.listObjects(prefix: folder).compactMap { layout.parseSnapshot(key: $0.key) }
                #expect(
                    Set(snapshots.map(\.shortCommit)) == Set(outageCommits.map { String($0.prefix(S3ObjectLayout.shortCommitLength)) })
                        && snapshots.count == outageCommits.count,
                    "\(device.name): snapshots \(snapshots.map(\.shortCommit)) for commits \(outageCommits)")
                // S3 lists the versions of a key newest first.
                let versions = try await client.listObjectVersions(prefix: folder + "latest.cfg")
                    .filter { !$0.isDeleteMarker }
                var bodies: [String] = []
                for version in versions {
                    bodies.append(String(decoding: try await client.getObject(key: version.key, versionID: version.versionID).body, as: UTF8.self))
                }
                let expected = try outageCommits.map { try tool("git", ["--git-dir", archive, "show", "\($0):\(path)"]).stdout }
                #expect(bodies.first == expected.first, "\(device.name): latest.cfg is the newest version")
                #expect(bodies.count <= expected.count && expected.starts(with: bodies),
                    "\(device.name): latest.cfg was written in commit order (\(bodies.count) versions)")
            }
            #expect(daemon.signal(SIGTERM, waitForExit: true) == 0, "\(daemon.log)")
            #expect(!daemon.log.contains(Self.secretKey), "the S3 secret never reaches the log")
        }
        try await client.shutdown()
    }

    func committedJobs(_ journalPath: String, device: String) async throws -> Int {
        guard FileManager.default.fileExists(atPath: journalPath) else { return 0 }
        return try await EventJournal.open(path: journalPath).jobs(device: device, state: .committed, limit: 1000).count
    }

    /// Waits until the outbox is empty and the remote has the local HEAD (a push is journaled just after its
    /// job, so an empty outbox alone can come a moment too early).
    func waitForDelivery(_ journalPath: String, remote: String, archive: String) async throws -> Bool {
        try await DaemonTests().waitForJournal(journalPath) { journal in
            let remoteHead = try? revision(remote, "main")
            let localHead = try revision(archive, "HEAD")
            return try await journal.pendingItems(limit: 1).isEmpty && remoteHead == localHead
        }
    }

    func revision(_ repository: String, _ name: String) throws -> String {
        try tool("git", ["--git-dir", repository, "rev-parse", name]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
