import Foundation
import NetRavenAPI
import NetRavenCore
import NetRavenGit
import NetRavenTestSupport
import Testing

/// Routes against a live server on port 0 over the real journal and archive; requests go through curl.
@Suite struct APIRouteTests {
    @Test func routesWithoutATokenOrWithAnUnknownOneAre401AndWithoutTheScope403() async throws {
        let closed = try BoundClosedPort()
        try await withAPIServer(devices: unreachableDevices(["r1"], port: closed.port)) { server in
            let missing = try await server.call("GET", "/api/v1/devices")
            #expect(missing.status == 401)
            #expect(missing.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
            #expect(try server.json(missing)["error"] as? String != nil)

            let unknown = try await server.call("GET", "/api/v1/devices", token: "nrv_not-a-configured-token")
            #expect(unknown.status == 401)
            #expect(!unknown.body.contains("nrv_not-a-configured-token"), "the token is never echoed")

            let basic = try await server.call("GET", "/api/v1/devices", extra: ["-u", "user:pass"])
            #expect(basic.status == 401)

            let noRead = try await server.call("GET", "/api/v1/devices", token: TestTokens.triggerOnly)
            #expect(noRead.status == 403)
            #expect((try server.json(noRead)["error"] as? String)?.contains("read") == true)

            let noTrigger = try await server.call("POST", "/api/v1/devices/r1/capture", token: TestTokens.read)
            #expect(noTrigger.status == 403)
            let sweep = try await server.call("POST", "/api/v1/sweep", token: TestTokens.read)
            #expect(sweep.status == 403)

            let metrics = try await server.call("GET", "/metrics")
            #expect(metrics.status == 401, "metrics need a read token by default")
            let scraped = try await server.call("GET", "/metrics", token: TestTokens.read)
            #expect(scraped.status == 200)
            #expect(scraped.body == "netraven_up 1\n")
            #expect(try await server.call("GET", "/healthz").status == 200)

            let devices = try await server.call("GET", "/api/v1/devices", token: TestTokens.read)
            #expect(devices.status == 200)
            let list = try #require(try server.json(devices)["devices"] as? [[String: Any]])
            #expect(list.map { $0["name"] as? String } == ["r1"])
            #expect(list.first?["last_verdict"] is NSNull)
        }
    }

    @Test func metricsCanBeOpen() async throws {
        let closed = try BoundClosedPort()
        var settings = APISettings(listen: ListenAddress(host: "127.0.0.1", port: 0))
        settings.metrics = .open
        try await withAPIServer(devices: unreachableDevices(["r1"], port: closed.port), settings: settings) { server in
            let metrics = try await server.call("GET", "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.header("Content-Type")?.hasPrefix("text/plain") == true)
        }
    }

    @Test func unknownThingsAre404AndBadInput400WithAMessage() async throws {
        let closed = try BoundClosedPort()
        try await withAPIServer(devices: unreachableDevices(["r1"], port: closed.port)) { server in
            let cases: [(String, String, Int, String)] = [
                ("GET", "/api/v1/devices/nope", 404, "nope"),
                ("GET", "/api/v1/devices/nope/versions", 404, "nope"),
                ("POST", "/api/v1/devices/nope/capture", 404, "nope"),
                ("GET", "/api/v1/jobs/0123456789ab", 404, "0123456789ab"),
                ("GET", "/api/v1/no-such-route", 404, "no-such-route"),
                ("GET", "/api/v1/devices/r1/versions?limit=0", 400, "limit"),
                ("GET", "/api/v1/devices/r1/versions?offset=x", 400, "offset"),
                ("GET", "/api/v1/devices/r1/diff?from=main;rm", 400, "from"),
                ("GET", "/api/v1/devices/r1/versions/not-a-rev", 400, "rev"),
                ("GET", "/api/v1/events?before=-3", 400, "before"),
                ("GET", "/api/v1/events?limit=100000", 400, "limit"),
                ("GET", "/api/v1/jobs/a%20b", 400, "job id"),
            ]
            for (method, path, status, mention) in cases {
                let token = method == "POST" ? TestTokens.trigger : TestTokens.read
                let reply = try await server.call(method, path, token: token)
                #expect(reply.status == status, "\(method) \(path): \(reply.body)")
                let message = try server.json(reply)["error"] as? String
                #expect(message?.contains(mention) == true, "\(method) \(path): \(reply.body)")
            }
        }
    }

    @Test func versionsAreListedPageByPageAndConfigsAndDiffsServed() async throws {
        let closed = try BoundClosedPort()
        try await withAPIServer(devices: unreachableDevices(["r1"], port: closed.port)) { server in
            let path = try server.path("r1")
            let signature = ArchiveSignature(name: "NetRaven", email: "netraven@example.invalid", date: Date())
            var texts: [String] = []
            for version in 1...3 {
                let text = "hostname r1\nntp server 10.0.0.\(version)\nend\n"
                texts.append(text)
                _ = try await server.service.archive.commit(
                    files: [ArchiveFile(path: path, contents: text)],
                    message: "r1: version \(version)\n\nTrigger: api\n",
                    author: signature, committer: signature)
            }
            let first = try server.json(
                try await server.call("GET", "/api/v1/devices/r1/versions?limit=2", token: TestTokens.read))
            let firstPage = try #require(first["versions"] as? [[String: Any]])
            #expect(firstPage.count == 2)
            #expect(first["next_offset"] as? Int == 2)
            #expect(firstPage.first?["summary"] as? String == "r1: version 3")
            #expect(firstPage.first?["trigger"] as? String == "api")
            let second = try server.json(
                try await server.call("GET", "/api/v1/devices/r1/versions?limit=2&offset=2", token: TestTokens.read))
            let secondPage = try #require(second["versions"] as? [[String: Any]])
            #expect(secondPage.map { $0["summary"] as? String } == ["r1: version 1"])
            #expect(second["next_offset"] is NSNull)

            let oldest = try #require(secondPage.first?["commit"] as? String)
            let newest = try #require(firstPage.first?["commit"] as? String)
            let config = try await server.call("GET", "/api/v1/devices/r1/versions/\(oldest)", token: TestTokens.read)
            #expect(config.status == 200)
            #expect(config.body == texts[0])
            #expect(
                try await server.call("GET", "/api/v1/devices/r1/versions/HEAD", token: TestTokens.read).body
                    == texts[2])

            let diff = try await server.call(
                "GET", "/api/v1/devices/r1/diff?from=\(oldest)&to=\(newest)", token: TestTokens.read)
            #expect(diff.status == 200)
            #expect(diff.body.contains("-ntp server 10.0.0.1"))
            #expect(diff.body.contains("+ntp server 10.0.0.3"))
            let last = try await server.call("GET", "/api/v1/devices/r1/diff", token: TestTokens.read)
            #expect(last.body.contains("-ntp server 10.0.0.2") && last.body.contains("+ntp server 10.0.0.3"))

            let unknownRevision = try await server.call(
                "GET", "/api/v1/devices/r1/versions/abcdef0123", token: TestTokens.read)
            #expect(unknownRevision.status == 404, "\(unknownRevision.body)")

            let detail = try server.json(try await server.call("GET", "/api/v1/devices/r1", token: TestTokens.read))
            #expect((detail["latest_version"] as? [String: Any])?["commit"] as? String == newest)
        }
    }

    @Test func eventsArePagedNewestFirstToTheEnd() async throws {
        let closed = try BoundClosedPort()
        try await withAPIServer(devices: unreachableDevices(["r1"], port: closed.port)) { server in
            for index in 1...5 {
                try await server.journal.record(
                    ChangeEvent(
                        id: "ev-\(index)", kind: .syslog, device: "r1", user: "alice", source: "vty0", time: Date(),
                        raw: "%SYS-5-CONFIG_I: Configured from console by alice <b>\(index)</b>", change: .committed),
                    peer: "192.0.2.1:514", transport: "udp")
            }
            var seen: [String] = []
            var before: Int?
            var pages = 0
            repeat {
                let query = "/api/v1/events?limit=2" + (before.map { "&before=\($0)" } ?? "")
                let page = try server.json(try await server.call("GET", query, token: TestTokens.read))
                let events = try #require(page["events"] as? [[String: Any]])
                seen += events.compactMap { $0["id"] as? String }
                before = page["next_before"] as? Int
                pages += 1
            } while before != nil && pages < 10
            #expect(seen == ["ev-5", "ev-4", "ev-3", "ev-2", "ev-1"])
            #expect(pages == 3)
        }
    }

    @Test func readyzFailsWhenTheJournalIsNotWritable() async throws {
        let closed = try BoundClosedPort()
        try await withAPIServer(devices: unreachableDevices(["r1"], port: closed.port)) { server in
            let ready = try await server.call("GET", "/readyz")
            #expect(ready.status == 200, "\(ready.body)")
            #expect((try server.json(ready)["checks"] as? [String: String])?["journal"] == "ok")

            // The tests run as root, so file modes do not stop writes; the immutable flag does (root included).
            let files = [server.journal.path, server.journal.path + "-wal"]
            try chattr("+i", files)
            defer { try? chattr("-i", files) }
            let failing = try await server.call("GET", "/readyz")
            try chattr("-i", files)
            #expect(failing.status == 503)
            let checks = try #require(try server.json(failing)["checks"] as? [String: String])
            #expect(checks["journal"]?.contains("not writable") == true, "\(checks)")
            #expect(checks["archive"] == "ok")
            #expect(try await server.call("GET", "/readyz").status == 200, "ready again once writable")
        }
    }
}

/// Sets or clears a file attribute (`+i` immutable) with chattr(1).
func chattr(_ flag: String, _ files: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
    process.arguments = [flag] + files
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw TestFailure(description: "chattr \(flag) failed with status \(process.terminationStatus)")
    }
}
