import Foundation
import NetRavenAPI
import NetRavenCore
import NetRavenGit
import NetRavenTestSupport
import Testing

/// The web status page: login with a token turned into a session cookie, HTML escaping, and a real browser
/// (Debian's headless Chromium) rendering the pages.
@Suite struct WebPageTests {
    static let hostileLine = "banner motd <script>alert('x')</script> & \"quoted\""

    func seedHistory(_ server: APITestServer, device: String) async throws {
        let path = try server.path(device)
        let signature = ArchiveSignature(name: "alice", email: "alice@example.invalid", date: Date())
        for text in [
            "hostname \(device)\nntp server 10.0.0.1\n",
            "hostname \(device)\nntp server 10.0.0.2\n\(Self.hostileLine)\n",
        ] {
            _ = try await server.service.archive.commit(
                files: [ArchiveFile(path: path, contents: text)], message: "\(device): change\n\nTrigger: syslog\n",
                author: signature, committer: signature)
        }
    }

    @Test func loginSetsAnOpaqueHttpOnlyStrictCookieAndLogoutEndsIt() async throws {
        let closed = try BoundClosedPort()
        try await withAPIServer(devices: unreachableDevices(["r1"], port: closed.port)) { server in
            let anonymous = try await curl(server.base + "/")
            #expect(anonymous.status == 303)
            #expect(anonymous.header("Location") == "/login")

            let refused = try await curl(server.base + "/login", ["--data-urlencode", "token=nrv_wrong"])
            #expect(refused.status == 401)
            #expect(refused.header("Set-Cookie") == nil)
            let triggerOnly = try await curl(
                server.base + "/login", ["--data-urlencode", "token=\(TestTokens.triggerOnly)"])
            #expect(triggerOnly.status == 401, "the page needs the read scope")

            let login = try await curl(server.base + "/login", ["--data-urlencode", "token=\(TestTokens.read)"])
            #expect(login.status == 303)
            let cookie = try #require(login.header("Set-Cookie"))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            #expect(!cookie.contains(TestTokens.read), "the cookie holds a session id, not the token")
            let session = try #require(cookie.split(separator: ";").first.map(String.init))

            let page = try await curl(server.base + "/", ["-H", "Cookie: \(session)"])
            #expect(page.status == 200)
            #expect(page.body.contains("data-device=\"r1\""))

            let bearerIsNotASession = try await curl(
                server.base + "/", ["-H", "Authorization: Bearer \(TestTokens.read)"])
            #expect(bearerIsNotASession.status == 303)

            let logout = try await curl(server.base + "/logout", ["-X", "POST", "-H", "Cookie: \(session)"])
            #expect(logout.status == 303)
            #expect(logout.header("Set-Cookie")?.contains("Max-Age=0") == true)
            #expect(
                try await curl(server.base + "/", ["-H", "Cookie: \(session)"]).status == 303, "the session is gone")
        }
    }

    @Test func devicePageEscapesConfigurationTextAndColoursTheDiff() async throws {
        let closed = try BoundClosedPort()
        try await withAPIServer(devices: unreachableDevices(["r1"], port: closed.port)) { server in
            try await seedHistory(server, device: "r1")
            let login = try await curl(server.base + "/login", ["--data-urlencode", "token=\(TestTokens.read)"])
            let session = try #require(login.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
            let page = try await curl(server.base + "/devices/r1", ["-H", "Cookie: \(session)"])
            #expect(page.status == 200)
            #expect(!page.body.contains("<script>"), "configuration text is escaped")
            #expect(page.body.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"))
            #expect(page.body.contains("<span class=\"add\">+ntp server 10.0.0.2</span>"))
            #expect(page.body.contains("<span class=\"del\">-ntp server 10.0.0.1</span>"))
            let missing = try await curl(server.base + "/devices/zz", ["-H", "Cookie: \(session)"])
            #expect(missing.status == 404)
        }
    }

    @Test func onlySessionsThatMayTriggerAreOfferedCaptureNow() async throws {
        let closed = try BoundClosedPort()
        try await withAPIServer(devices: unreachableDevices(["r1"], port: closed.port)) { server in
            func session(_ token: String) async throws -> String {
                let login = try await curl(server.base + "/login", ["--data-urlencode", "token=\(token)"])
                return try #require(login.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
            }
            let reader = try await session(TestTokens.read)
            let readOnlyPage = try await curl(server.base + "/devices/r1", ["-H", "Cookie: \(reader)"])
            #expect(readOnlyPage.status == 200)
            #expect(!readOnlyPage.body.contains("Capture now"), "a read-only session gets no button that would fail")
            #expect(readOnlyPage.body.contains("Read-only session"))
            let refused = try await curl(server.base + "/devices/r1/capture", ["-X", "POST", "-H", "Cookie: \(reader)"])
            #expect(refused.status == 403, "the server still refuses it")

            let operatorSession = try await session(TestTokens.trigger)
            let operatorPage = try await curl(server.base + "/devices/r1", ["-H", "Cookie: \(operatorSession)"])
            #expect(operatorPage.body.contains("action=\"/devices/r1/capture\"><button type=\"submit\">Capture now"))
            let accepted = try await curl(
                server.base + "/devices/r1/capture", ["-X", "POST", "-H", "Cookie: \(operatorSession)"])
            #expect(accepted.status == 303, "a capture was queued and the browser goes back to the device page")
        }
    }

    @Test func headlessChromiumRendersTheDevicesAndADevicePage() async throws {
        let closed = try BoundClosedPort()
        try await withAPIServer(devices: unreachableDevices(["r1", "r2"], port: closed.port)) { server in
            try await seedHistory(server, device: "r1")
            // The browser logs in through a one-time link made with the token (no cookie handling needed).
            func link(next: String) async throws -> String {
                let reply = try await server.call("POST", "/api/v1/login-links", token: TestTokens.read)
                #expect(reply.status == 201)
                let url = try #require(try server.json(reply)["url"] as? String)
                return server.base + url + "?next=" + next
            }
            let devicesDOM = try await chromium(["--dump-dom", try await link(next: "/")])
            #expect(devicesDOM.contains("data-device=\"r1\""), "\(devicesDOM.prefix(500))")
            #expect(devicesDOM.contains("data-device=\"r2\""))

            let deviceURL = try await link(next: "/devices/r1")
            let deviceDOM = try await chromium(["--dump-dom", deviceURL])
            #expect(deviceDOM.contains("+ntp server 10.0.0.2"))
            #expect(!deviceDOM.contains("<script>alert"), "escaped text never becomes an element")

            // A link is spent once: the same one again shows the login form.
            let reused = try await chromium(["--dump-dom", deviceURL])
            #expect(reused.contains("name=\"token\""))

            let artifacts = PackagePaths.root + "/.build/test-artifacts"
            try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
            for (name, next) in [("status-page.png", "/"), ("device-page.png", "/devices/r1")] {
                let file = artifacts + "/" + name
                try? FileManager.default.removeItem(atPath: file)
                _ = try await chromium(["--screenshot=\(file)", "--window-size=1280,800", try await link(next: next)])
                let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
                #expect(size > 10_000, "\(name) is a real screenshot")
            }
        }
    }

    @Test func tlsServesTheAPIWithTheConfiguredCertificate() async throws {
        let directory = try TemporaryDirectory(prefix: "netraven-api-tls")
        let certificate = directory.path + "/cert.pem"
        let key = directory.path + "/key.pem"
        try runProgram(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate,
            ])
        var settings = APISettings(listen: ListenAddress(host: "127.0.0.1", port: 0))
        settings.tls = APISettings.TLS(certificatePath: certificate, keyPath: key)
        let closed = try BoundClosedPort()
        try await withAPIServer(devices: unreachableDevices(["r1"], port: closed.port), settings: settings) { server in
            #expect(server.base.hasPrefix("https://"))
            let reply = try await server.call(
                "GET", "/api/v1/devices", token: TestTokens.read, extra: ["--cacert", certificate])
            #expect(reply.status == 200, "\(reply.body)")
            let login = try await curl(
                server.base + "/login", ["--cacert", certificate, "--data-urlencode", "token=\(TestTokens.read)"])
            #expect(login.header("Set-Cookie")?.contains("Secure") == true)
            let plain = try await curl("http://127.0.0.1:\(server.port)/healthz")
            #expect(plain.status != 200, "plain HTTP is not served on the TLS port")
        }
    }
}

/// Runs headless Chromium (Debian's `chromium`) with `arguments` on its own thread; returns what it printed.
func chromium(_ arguments: [String]) async throws -> String {
    let profile = try TemporaryDirectory(prefix: "netraven-chromium")
    let profilePath = profile.path
    let output: String = try await withCheckedThrowingContinuation { continuation in
        Thread {
            continuation.resume(
                with: Result {
                    try runProgram(
                        "/usr/bin/chromium",
                        [
                            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profilePath)",
                            "--no-first-run", "--disable-dev-shm-usage",
                        ] + arguments)
                })
        }.start()
    }
    withExtendedLifetime(profile) {}
    return output
}

/// Runs a program to completion; its standard output, or (with `checkStatus`) an error when it exits non-zero.
@discardableResult
func runProgram(_ program: String, _ arguments: [String], checkStatus: Bool = true) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 || !checkStatus else {
        throw TestFailure(description: "\(program) exited with \(process.terminationStatus)")
    }
    return String(decoding: data, as: UTF8.self)
}
