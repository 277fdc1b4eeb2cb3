import Foundation
import NetRavenHTTP
import NetRavenTestSupport
import Testing

/// libcurl against a real local HTTP server (scripts/http-test-server.py, Python's standard library).
@Suite(.serialized) struct HTTPClientTests {
    /// Starts the test server, runs `body` with its base URL and a client, and stops both.
    func withServer(_ body: (String, HTTPClient) async throws -> Void) async throws {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        server.arguments = [PackagePaths.script("http-test-server.py")]
        let output = Pipe()
        server.standardOutput = output
        try server.run()
        // Foundation's waitUntilExit can hang on Linux for a signalled child (its exit notification is lost):
        // kill and reap the server directly.
        defer { stopServer(server.processIdentifier) }
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let port = try #require(Int(line.trimmingCharacters(in: .whitespacesAndNewlines)), "server said \(line)")
        let client = HTTPClient(threads: 2)
        do {
            try await body("http://127.0.0.1:\(port)", client)
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test func getReturnsStatusHeadersAndBody() async throws {
        try await withServer { base, client in
            let response = try await client.send(HTTPRequest(url: base + "/hello"))
            #expect(response.status == 200)
            #expect(response.text == "hello")
            #expect(response.header("x-test") == "yes")
            let missing = try await client.send(HTTPRequest(url: base + "/nothing"))
            #expect(missing.status == 404)
            let error = try await client.send(HTTPRequest(url: base + "/status/503"))
            #expect(error.status == 503)
        }
    }

    @Test func sendsBodiesHeadersAndCredentials() async throws {
        try await withServer { base, client in
            let payload = Array("{\"device\":\"r1\"}".utf8)
            for method in ["POST", "PUT"] {
                let response = try await client.send(
                    HTTPRequest(
                        method: method, url: base + "/echo",
                        headers: [HTTPHeader("Content-Type", "application/json"), HTTPHeader("X-Custom", "c1")],
                        body: payload, credentials: .init(user: "alice", password: "s3cret-pw")))
                #expect(response.status == 200)
                #expect(response.body == payload)
                #expect(response.header("X-Method") == method)
                #expect(response.header("X-Custom") == "c1")
                #expect(response.header("X-Auth") == "Basic " + Data("alice:s3cret-pw".utf8).base64EncodedString())
            }
            let big = try await client.send(HTTPRequest(method: "PUT", url: base + "/echo", body: [UInt8](repeating: 7, count: 3 << 20)))
            #expect(big.body.count == 3 << 20)
            let head = try await client.send(HTTPRequest(method: "HEAD", url: base + "/hello"))
            #expect(head.status == 200 && head.body.isEmpty)
        }
    }

    @Test func refusesOversizedResponses() async throws {
        try await withServer { base, client in
            await #expect(throws: HTTPError.self) {
                _ = try await client.send(HTTPRequest(url: base + "/big?n=200000", maximumResponseBytes: 100_000))
            }
            let fits = try await client.send(HTTPRequest(url: base + "/big?n=50000", maximumResponseBytes: 100_000))
            #expect(fits.body.count == 50_000)
        }
    }

    @Test func classifiesTransportFailures() async throws {
        try await withServer { base, client in
            do {
                _ = try await client.send(HTTPRequest(url: base + "/slow", timeout: .milliseconds(500)))
                Issue.record("expected a timeout")
            } catch let error as HTTPError {
                #expect(error.code == .timeout)
            }
            do {
                // Port 1 on loopback: nothing listens there.
                _ = try await client.send(HTTPRequest(url: "http://127.0.0.1:1/", credentials: .init(user: "u", password: "pw-in-url")))
                Issue.record("expected a connection failure")
            } catch let error as HTTPError {
                #expect(error.code == .unreachable)
                #expect(error.code.isTransient)
                #expect(!error.description.contains("pw-in-url"))
            }
            do {
                _ = try await client.send(HTTPRequest(url: "ftp://127.0.0.1/x"))
                Issue.record("expected ftp to be refused")
            } catch let error as HTTPError {
                #expect(error.code == .invalidRequest)
            }
        }
    }

    @Test func reportsCurlVersion() {
        #expect(HTTPClient.curlVersion.split(separator: ".").count >= 2)
    }
}
