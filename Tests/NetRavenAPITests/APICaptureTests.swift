import Foundation
import NetRavenAPI
import NetRavenCore
import NetRavenLab
import NetRavenTestSupport
import Testing

/// Captures asked for over HTTP run on the real coordinator against lab devices over SSH.
@Suite struct APICaptureTests {
    /// Polls a job until it finished (a readiness signal the API offers; the deadline is only a safety net).
    func finishedJob(_ server: APITestServer, _ id: String) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let reply = try await server.call("GET", "/api/v1/jobs/\(id)", token: TestTokens.read)
            #expect(reply.status == 200, "\(reply.body)")
            let job = try #require(try server.json(reply)["job"] as? [String: Any])
            if let state = job["state"] as? String, ["committed", "unchanged", "failed"].contains(state) { return job }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("job \(id) did not finish")
        return [:]
    }

    @Test func aCaptureIsAccepted202AndItsJobCommitsTheLabDevice() async throws {
        try await withLabDevices(2) { devices, _ in
            try await withAPIServer(devices: devices) { server in
                let accepted = try await server.call("POST", "/api/v1/devices/r1/capture", token: TestTokens.trigger)
                #expect(accepted.status == 202, "\(accepted.body)")
                let body = try server.json(accepted)
                let jobID = try #require(body["job"] as? String)
                #expect(body["device"] as? String == "r1")

                let job = try await finishedJob(server, jobID)
                #expect(job["state"] as? String == "committed", "\(job)")
                #expect(job["trigger"] as? String == "api")
                #expect((job["commit"] as? String)?.isEmpty == false)

                let versions = try server.json(
                    try await server.call("GET", "/api/v1/devices/r1/versions", token: TestTokens.read))
                let list = try #require(versions["versions"] as? [[String: Any]])
                #expect(list.count == 1)
                #expect(list.first?["job"] as? String == jobID)
                let config = try await server.call("GET", "/api/v1/devices/r1/versions/HEAD", token: TestTokens.read)
                #expect(config.body.contains("hostname r1"), "\(config.body.prefix(200))")

                let devices = try server.json(try await server.call("GET", "/api/v1/devices", token: TestTokens.read))
                let r1 = try #require((devices["devices"] as? [[String: Any]])?.first { $0["name"] as? String == "r1" })
                #expect(r1["last_capture"] as? String != nil)
                #expect(r1["last_change"] as? String != nil)
                #expect(r1["last_failure"] is NSNull)
                #expect(r1["last_job"] as? String == jobID)

                // A sweep through the API: one entry per device; r1 is unchanged, r2 new.
                let sweep = try await server.call("POST", "/api/v1/sweep", token: TestTokens.trigger)
                #expect(sweep.status == 202)
                let captures = try #require(try server.json(sweep)["captures"] as? [[String: Any]])
                #expect(captures.compactMap { $0["device"] as? String }.sorted() == ["r1", "r2"])
                for capture in captures {
                    let id = try #require(capture["job"] as? String, "\(capture)")
                    let job = try await finishedJob(server, id)
                    let expected = capture["device"] as? String == "r1" ? "unchanged" : "committed"
                    #expect(job["state"] as? String == expected, "\(job)")
                }
            }
        }
    }

    @Test func aFailedCaptureShowsItsFailureClass() async throws {
        let closed = try BoundClosedPort()
        try await withAPIServer(devices: unreachableDevices(["r9"], port: closed.port)) { server in
            let accepted = try server.json(
                try await server.call("POST", "/api/v1/devices/r9/capture", token: TestTokens.trigger))
            let jobID = try #require(accepted["job"] as? String)
            let job = try await finishedJob(server, jobID)
            #expect(job["state"] as? String == "failed")
            #expect(job["failure_class"] as? String != nil)
            let devices = try server.json(try await server.call("GET", "/api/v1/devices", token: TestTokens.read))
            let r9 = try #require((devices["devices"] as? [[String: Any]])?.first)
            let failure = try #require(r9["last_failure"] as? [String: Any], "\(r9)")
            #expect(failure["class"] as? String == job["failure_class"] as? String)
            #expect(failure["job"] as? String == jobID)
        }
    }
}
