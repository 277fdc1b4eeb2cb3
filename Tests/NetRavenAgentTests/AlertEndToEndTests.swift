import Foundation
import Logging
import NetRavenAgent
import NetRavenAlerts
import NetRavenCore
import NetRavenHTTP
import NetRavenJournal
import NetRavenLab
import NetRavenTestSupport
import Testing

/// The whole way of an alert on real peers: a lab change no event explains is found by a sweep, judged unexpected,
/// journaled in the outbox and delivered with its diff to a webhook (a local HTTP server) and by mail (aiosmtpd
/// with STARTTLS and AUTH); a change by an allowed user inside a change window is committed as expected and told
/// to nobody.
@Suite(.serialized) struct AlertEndToEndTests {
    struct Record: Decodable {
        var method: String
        var path: String
        var body: String
    }

    struct Mail: Decodable {
        var rcpt_tos: [String]
        var body: String
    }

    static func certificate(in directory: TemporaryDirectory) throws -> (cert: String, key: String) {
        let cert = directory.path + "/cert.pem"
        let key = directory.path + "/key.pem"
        try tool(
            "openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            ])
        return (cert, key)
    }

    @Test func anUnexplainedChangeReachesWebhookAndMailWithItsDiffAnAllowedOneNobody() async throws {
        let directory = try TemporaryDirectory()
        let (cert, key) = try Self.certificate(in: directory)
        let mailbox = directory.path + "/received"
        try FileManager.default.createDirectory(atPath: mailbox, withIntermediateDirectories: true)
        try await PythonPeer.with("http-test-server.py") { web in
            try await PythonPeer.with("smtp-test-server.py", [cert, key, "netraven", "mail-pw-9", mailbox]) { smtp in
                try await withLab(devices: 2, platforms: [.ciscoIOS]) { setup in
                    var configuration = setup.configuration
                    configuration.verdict = VerdictPolicy(
                        users: [.init(allow: ["alice"])],
                        windows: [
                            ChangeWindow(
                                name: "always", opens: SweepSchedule(timing: .cron(try CronExpression("* * * * *"))),
                                duration: .seconds(3600))
                        ])
                    configuration.alerts = AlertSettings(
                        destinations: [
                            "hook": AlertDestination(
                                name: "hook",
                                kind: .webhook(.init(url: Secret("http://127.0.0.1:\(web.port)/record/hook")))),
                            "mail": AlertDestination(
                                name: "mail",
                                kind: .email(
                                    .init(
                                        url: "smtp://127.0.0.1:\(smtp.port)", username: "netraven",
                                        password: Secret("mail-pw-9"), from: "netraven@example.net",
                                        to: ["noc@example.net"], caFile: cert))),
                        ],
                        routes: [AlertRoute(name: "unexpected", verdicts: [.unexpected], destinations: ["hook", "mail"])],
                        grouping: AlertGrouping(window: .milliseconds(300)))
                    try await run(setup, configuration, webPort: web.port, mailbox: mailbox)
                }
            }
        }
    }

    func run(_ setup: LabSetup, _ configuration: Configuration, webPort: Int, mailbox: String) async throws {
        try await withService(configuration) { service in
            var logger = Logger(label: "test")
            logger.logLevel = .warning
            let journal = try await EventJournal.open(path: service.layout.journal)
            let outbox = OutboxWorker(journal: journal, logger: logger)
            let coordinator = CaptureCoordinator(
                service: service, journal: journal, settings: CaptureCoordinatorTests.debounce, logger: logger,
                outbox: outbox)
            let dispatcher = AlertDispatcher()
            let center = AlertCenter(
                settings: configuration.alerts, journal: journal, dispatcher: dispatcher, logger: logger,
                wake: { await outbox.wake() })
            await outbox.register(kind: OutboxKind.alert) { await center.deliver($0) }
            await coordinator.setFollowUp(
                CaptureFollowUp(
                    journal: journal, service: service, alerts: center, uploadsEnabled: false, logger: logger,
                    wake: { await outbox.wake() }))
            try await outbox.start()
            let (r1, r2) = (configuration.devices[0].name, configuration.devices[1].name)

            // Baselines: first versions are never alerted.
            for device in [r1, r2] { _ = await coordinator.request(device: device, trigger: .sweep) }
            await coordinator.waitUntilIdle()
            // r1 changes and nothing says so: the next sweep finds it.
            setup.device(r1).applyChange(LabConfigChange(user: "mallory", add: ["snmp-server location closet-13"]))
            _ = await coordinator.request(device: r1, trigger: .sweep)
            // r2 changes by alice, who may, and the device says so.
            setup.device(r2).applyChange(LabConfigChange(user: "alice", source: "10.1.1.5", add: ["ntp server 10.9.9.9"]))
            try await coordinator.submit(
                ChangeEvent(
                    id: "ev-alice", kind: .syslog, device: r2, user: "alice", source: "10.1.1.5", time: Date(),
                    change: .committed),
                peer: "127.0.0.1", transport: "udp")
            await coordinator.waitUntilIdle()
            await outbox.waitUntilEmpty()

            let jobs = try await journal.jobs(device: nil, state: .committed, limit: 10)
            let r1Verdict = try #require(jobs.first { $0.device == r1 && $0.trigger == .sweep && $0.verdict?.kind != .expected }?.verdict)
            #expect(r1Verdict.kind == .unexpected && r1Verdict.reasons.map(\.code) == ["no-event"])
            let r2Verdict = try #require(jobs.first { $0.device == r2 && $0.trigger == .syslog }?.verdict)
            #expect(r2Verdict.kind == .expected && r2Verdict.reasons.map(\.code) == ["allowed-user", "inside-window"])

            // Exactly one webhook post: r1's alert with the diff, nothing about r2.
            let client = HTTPClient(threads: 1)
            let response = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(webPort)/records"))
            try await client.shutdown()
            let records = try JSONDecoder().decode([Record].self, from: Data(response.body))
            #expect(records.count == 1)
            let post = try #require(records.first)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(post.body.utf8)) as? [String: Any])
            #expect(json["device"] as? String == r1)
            #expect((json["diff"] as? String)?.contains("+snmp-server location closet-13") == true)
            #expect(!post.body.contains(r2))
            // And one mail, with the diff in its body.
            let names = try FileManager.default.contentsOfDirectory(atPath: mailbox).filter { $0.hasSuffix(".json") }
            #expect(names.count == 1)
            let mail = try JSONDecoder().decode(
                Mail.self, from: Data(contentsOf: URL(fileURLWithPath: mailbox + "/" + (names.first ?? ""))))
            #expect(mail.rcpt_tos == ["noc@example.net"])
            #expect(mail.body.contains("snmp-server location closet-13"))
            #expect(!mail.body.contains(r2))

            await outbox.drain()
            await coordinator.drain()
            try await dispatcher.shutdown()
        }
    }

    @Test func failureStreaksAlertOnceAtTheThresholdAndOnRecovery() async throws {
        let directory = try TemporaryDirectory()
        let journal = try await EventJournal.open(path: directory.path + "/journal.sqlite")
        let settings = AlertSettings(
            destinations: ["hook": AlertDestination(name: "hook", kind: .webhook(.init(url: Secret("http://127.0.0.1:9/"))))],
            routes: [
                AlertRoute(
                    name: "down", failures: [.unreachable: .init(after: 2, recovery: true), .hostKeyChanged: .init()],
                    destinations: ["hook"])
            ])
        let dispatcher = AlertDispatcher()
        let center = AlertCenter(settings: settings, journal: journal, dispatcher: dispatcher, logger: Logger(label: "test"), wake: {})
        let device = Device(name: "r1", host: "10.0.0.1", platform: "cisco_ios")
        for _ in 0..<3 {
            await center.captureFailed(device: device, code: "timeout", detail: "no answer", at: Date())
        }
        // A failure class alerts do not route on is no alert.
        await center.captureFailed(device: device, code: "promptNotFound", detail: "odd prompt", at: Date())
        await center.captureSucceeded(device: device, at: Date())
        await center.captureFailed(device: device, code: "hostKeyChanged", detail: "SHA256:new", at: Date())

        let alerts = try await journal.pendingItems(kind: OutboxKind.alert, key: "hook").map {
            try $0.decodePayload(Alert.self)
        }
        #expect(alerts.map(\.kind) == [.failure, .recovery, .failure])
        #expect(alerts.map(\.failure) == [.unreachable, .unreachable, .hostKeyChanged])
        #expect(alerts.first?.consecutiveFailures == 2, "told once, when the streak reaches the threshold")
        #expect(alerts[1].consecutiveFailures == 3)
        try await dispatcher.shutdown()
    }
}

