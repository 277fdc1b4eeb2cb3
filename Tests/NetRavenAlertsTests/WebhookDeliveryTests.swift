import Foundation
import NetRavenCore
import NetRavenHTTP
import NetRavenTestSupport
import Testing

@testable import NetRavenAlerts

/// Webhook and Slack deliveries received by a real local HTTP server (scripts/http-test-server.py).
@Suite(.serialized) struct WebhookDeliveryTests {
    struct Record: Decodable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String

        func json() throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        }
    }

    /// What the receiver kept, asked over HTTP with the project's own client.
    func records(_ port: Int) async throws -> [Record] {
        let client = HTTPClient(threads: 1)
        let response = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/records"))
        try await client.shutdown()
        return try JSONDecoder().decode([Record].self, from: Data(response.body))
    }

    func withReceiver(_ body: (Int, AlertDispatcher) async throws -> Void) async throws {
        try await PythonPeer.with("http-test-server.py") { peer in
            let dispatcher = AlertDispatcher()
            do {
                try await body(peer.port, dispatcher)
                try await dispatcher.shutdown()
            } catch {
                try? await dispatcher.shutdown()
                throw error
            }
        }
    }

    func webhook(_ url: String, bearer: String? = nil) -> AlertDestination {
        AlertDestination(
            name: "noc-hook",
            kind: .webhook(.init(url: Secret(url), headers: ["X-Team": "noc"], bearerToken: bearer.map(Secret.init))))
    }

    @Test func webhookReceivesOneAlertAsJSON() async throws {
        try await withReceiver { port, dispatcher in
            let destination = webhook("http://127.0.0.1:\(port)/record/hook?token=t0k", bearer: "bearer-secret-1")
            try await dispatcher.deliver(AlertSamples.single("noc-hook"), to: destination)
            let received = try await records(port)
            #expect(received.count == 1)
            let record = try #require(received.first)
            #expect(record.method == "POST" && record.path == "/record/hook?token=t0k")
            #expect(record.headers["authorization"] == "Bearer bearer-secret-1")
            #expect(record.headers["x-team"] == "noc")
            #expect(record.headers["content-type"] == "application/json")
            let json = try record.json()
            #expect(json["version"] as? Int == 1)
            #expect(json["type"] as? String == "alert")
            #expect(json["destination"] as? String == "noc-hook")
            #expect(json["device"] as? String == "core-rtr-1")
            #expect(json["verdict"] as? String == "unexpected")
            #expect(json["severity"] as? String == "critical")
            #expect(json["users"] as? [String] == ["mallory"])
            #expect(json["commit"] as? String == "0123456789abcdef0123456789abcdef01234567")
            #expect(json["diff"] as? String == AlertSamples.diff(lines: 4))
            #expect(json["time"] as? String == "2025-06-15T15:06:40Z")
            let reasons = try #require(json["reasons"] as? [[String: String]])
            #expect(reasons.map { $0["code"] } == ["user-not-allowed", "sensitive-lines"])
            let events = try #require(json["events"] as? [[String: Any]])
            #expect(events.first?["user"] as? String == "mallory")
            #expect(events.first?["source"] as? String == "203.0.113.9")
            #expect((events.first?["raw"] as? String)?.hasPrefix("%SYS-5-CONFIG_I") == true)
            #expect((json["alerts"] as? [Any])?.count == 1)
            #expect(json["digest"] is NSNull)
        }
    }

    @Test func webhookReceivesADigestAsOneList() async throws {
        try await withReceiver { port, dispatcher in
            let batch = AlertSamples.digest("noc-hook", count: 1000, full: 3)
            try await dispatcher.deliver(batch, to: webhook("http://127.0.0.1:\(port)/record/hook"))
            let received = try await records(port)
            #expect(received.count == 1)
            let json = try #require(try received.first?.json())
            #expect(json["type"] as? String == "digest")
            #expect(json["count"] as? Int == 1000)
            #expect(json["device"] == nil)
            #expect((json["alerts"] as? [[String: Any]])?.count == 3)
            let digest = try #require(json["digest"] as? [String: Any])
            #expect(digest["count"] as? Int == 997)
            #expect((digest["devices"] as? [String])?.count == 997)
            #expect(digest["verdicts"] as? [String: Int] == ["unexpected": 997])
            #expect((digest["entries"] as? [[String: Any]])?.first?["device"] as? String == "sw3")
        }
    }

    @Test func slackGetsReadableBlocksWithATruncatedDiff() async throws {
        try await withReceiver { port, dispatcher in
            let destination = AlertDestination(
                name: "noc-slack",
                kind: .slack(.init(url: Secret("http://127.0.0.1:\(port)/record/slack/T0/B0/XYZ"), maxDiffLines: 10)))
            try await dispatcher.deliver(AlertSamples.single("noc-slack", diffLines: 200), to: destination)
            let json = try #require(try await records(port).first?.json())
            #expect(json["text"] as? String == "core-rtr-1: unexpected change by mallory")
            let blocks = try #require(json["blocks"] as? [[String: Any]])
            let texts = blocks.compactMap { ($0["text"] as? [String: Any])?["text"] as? String }
            #expect(blocks.first?["type"] as? String == "header")
            let details = try #require(texts.first { $0.contains("*core-rtr-1*") })
            #expect(details.contains("mallory") && details.contains("`0123456789ab`"))
            #expect(details.contains("`user-not-allowed`"))
            let code = try #require(texts.first { $0.hasPrefix("```") })
            let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
            // Fences, 10 whole diff lines, and the note for the other 193.
            #expect(lines.count == 13)
            #expect(lines[1] == "--- a/core-rtr-1.cfg")
            #expect(lines[11] == "… 193 more lines")
            #expect(lines[4].hasSuffix("name r&lt;1&gt;"))  // Slack's control characters escaped
            #expect(texts.allSatisfy { $0.count <= 3000 })
        }
    }

    @Test func slackKeepsHugeDiffsUnderItsLimits() throws {
        let payload = try SlackMessage.payload(AlertSamples.single("s", diffLines: 5000), maxDiffLines: 500)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any])
        let blocks = try #require(json["blocks"] as? [[String: Any]])
        let texts = blocks.compactMap { ($0["text"] as? [String: Any])?["text"] as? String }
        let code = try #require(texts.first { $0.hasPrefix("```") })
        #expect(code.count <= 3000)
        #expect(code.contains(" more lines\n```"))
        // Whole lines only: every kept diff line is a complete route line.
        for line in code.split(separator: "\n").dropFirst(4).dropLast(2) {
            #expect(line.hasSuffix("&gt;"), "cut line: \(line)")
        }
        let digest = try SlackMessage.payload(AlertSamples.digest("s", count: 1000, full: 20), maxDiffLines: 5)
        let digestJSON = try #require(try JSONSerialization.jsonObject(with: Data(digest)) as? [String: Any])
        let digestBlocks = try #require(digestJSON["blocks"] as? [[String: Any]])
        #expect(digestBlocks.count <= 50)
        let summaries = digestBlocks.compactMap { ($0["text"] as? [String: Any])?["text"] as? String }
        let summary = try #require(summaries.last)
        #expect(summary.hasPrefix("*990 more alerts* on 990 devices (990 unexpected):"))
        #expect(summary.count <= 3000 && summary.hasSuffix(" more"))
    }

    @Test(arguments: [(503, true), (429, true), (500, true), (404, false), (400, false), (401, false)])
    func statusDecidesWhetherToRetry(status: Int, transient: Bool) async throws {
        try await withReceiver { port, dispatcher in
            let destination = webhook("http://127.0.0.1:\(port)/status/\(status)", bearer: "s3cr3t-bearer")
            let error = await dispatcher.failure(
                AlertSamples.single("noc-hook"), to: destination)
            if let error {
                #expect(error.isTransient == transient, "\(error)")
                #expect(!error.description.contains("s3cr3t-bearer"))
                #expect(error.destination == "noc-hook")
            }
        }
    }

    @Test func receiverDownIsTransient() async throws {
        let closed = try BoundClosedPort()
        let dispatcher = AlertDispatcher()
        let error = await dispatcher.failure(
            AlertSamples.single("noc-hook"), to: webhook("http://127.0.0.1:\(closed.port)/hook?token=tok-down"))
        if let error {
            #expect(error.code == .unreachable && error.isTransient)
            #expect(!error.description.contains("tok-down"))
        }
        try await dispatcher.shutdown()
        closed.close()
    }

    @Test func unknownDestinationIsPermanent() async throws {
        let dispatcher = AlertDispatcher()
        await #expect(throws: AlertError.self) {
            try await dispatcher.deliver(AlertSamples.single("gone"), using: AlertSettings())
        }
        try await dispatcher.shutdown()
    }
}
