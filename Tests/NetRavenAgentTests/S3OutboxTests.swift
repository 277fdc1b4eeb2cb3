import Foundation
import Logging
import NetRavenAgent
import NetRavenCore
import NetRavenHTTP
import NetRavenJournal
import NetRavenLab
import NetRavenS3
import NetRavenTestSupport
import Testing

/// Committed versions reach S3 through the outbox, also across an outage of the S3 endpoint: uploads wait in the
/// journal with the reason, and when the endpoint is back every version lands, in commit order per device.
@Suite(.serialized) struct S3OutboxTests {
    @Test func anOutageDelaysUploadsAndLosesNone() async throws {
        var server = try await MotoServer.start()
        defer { server.stop() }
        let port = server.port
        let http = HTTPClient(threads: 2)
        defer { Task { try? await http.shutdown() } }
        var settings = S3Settings(bucket: "netraven-outage", endpoint: server.endpoint)
        settings.prefix = "configs"
        let credentials = AWSCredentials(accessKeyID: "AKIDTEST", secretAccessKey: Secret("outage-secret-1"), source: "test")
        let client = S3Client(settings: settings, credentials: credentials, http: http)
        try await client.createBucket()

        try await withLab(devices: 1, platforms: [.ciscoIOS]) { setup in
            var configuration = setup.configuration
            configuration.s3 = settings
            try await withService(configuration) { service in
                var logger = Logger(label: "test")
                logger.logLevel = .warning
                let journal = try await EventJournal.open(path: service.layout.journal)
                // Retries every 200 ms so the test does not wait for production backoff.
                let policy = OutboxRetryPolicy(backoff: Backoff(initial: .milliseconds(200), maximum: .milliseconds(400)))
                let outbox = OutboxWorker(journal: journal, policy: policy, logger: logger, jitter: { 0 })
                let coordinator = CaptureCoordinator(
                    service: service, journal: journal, settings: CaptureCoordinatorTests.debounce, logger: logger,
                    outbox: outbox)
                let handler = S3UploadHandler(client: client, logger: logger)
                await outbox.register(kind: OutboxKind.s3Upload) { await handler.handle($0) }
                await coordinator.setFollowUp(
                    CaptureFollowUp(
                        journal: journal, service: service, alerts: nil, uploadsEnabled: true, logger: logger,
                        wake: { await outbox.wake() }))
                try await outbox.start()
                let device = configuration.devices[0].name

                _ = await coordinator.request(device: device, trigger: .sweep)
                await coordinator.waitUntilIdle()
                await outbox.waitUntilEmpty()
                #expect(try await client.listObjects(prefix: "configs/").count == 2, "snapshot and latest.cfg")

                // The endpoint goes away; two more versions are committed meanwhile.
                server.stop()
                for line in ["ntp server 10.9.9.1", "ntp server 10.9.9.2"] {
                    setup.device(device).applyChange(LabConfigChange(user: "jdoe", add: [line]))
                    _ = await coordinator.request(device: device, trigger: .sweep)
                    await coordinator.waitUntilIdle()
                }
                await outbox.waitUntilSettled()
                let pending = try await journal.pendingItems(kind: OutboxKind.s3Upload, key: device)
                #expect(pending.count == 2)
                #expect(pending.first?.lastError?.isEmpty == false, "the reason is kept")

                // Back, but a fresh moto has no bucket yet: that is retried too (an operator fixes it), never dropped.
                server = try await MotoServer.start(port: port)
                await outbox.wake()
                let deadline = ContinuousClock.now + .seconds(60)
                var sawMissingBucket = false
                while !sawMissingBucket && ContinuousClock.now < deadline {
                    let items = try await journal.pendingItems(kind: OutboxKind.s3Upload, key: device)
                    sawMissingBucket = items.contains { $0.lastError?.hasPrefix("noSuchBucket") == true }
                    if !sawMissingBucket { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(sawMissingBucket, "an attempt met the missing bucket and stayed pending")
                try await client.createBucket()
                await outbox.wake()
                await outbox.waitUntilEmpty()
                let keys = try await client.listObjects(prefix: "configs/").map(\.key).sorted()
                #expect(keys.count == 3, "\(keys)")
                let latest = try await client.getObject(key: keys.first { $0.hasSuffix("/latest.cfg") } ?? "")
                #expect(String(decoding: latest.body, as: UTF8.self).contains("ntp server 10.9.9.2"))
                let commits = try await service.archive.history(path: try service.layout.configPath(for: configuration.devices[0]))
                let snapshots = keys.filter { !$0.hasSuffix("/latest.cfg") }
                #expect(snapshots.map { String($0.split(separator: "_").last?.prefix(7) ?? "") }.sorted()
                    == commits.prefix(2).map { String($0.id.prefix(7)) }.sorted())
                await outbox.drain()
                await coordinator.drain()
            }
        }
    }
}
