import Foundation
import Logging
import NetRavenAPI
import NetRavenAgent
import NetRavenCore
import NetRavenJournal
import NetRavenLab
import NetRavenTestSupport
import ServiceLifecycle
import Testing

/// A test helper that could not do its part.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
}

/// Tokens the tests present; the server knows only their hashes.
enum TestTokens {
    static let read = "nrv_test-read-token"
    static let trigger = "nrv_test-trigger-token"
    static let triggerOnly = "nrv_test-trigger-only"

    static let configured = [
        APISettings.Token(name: "reader", sha256: digest(read), scopes: [.read]),
        APISettings.Token(name: "operator", sha256: digest(trigger), scopes: [.read, .trigger]),
        APISettings.Token(name: "trigger-only", sha256: digest(triggerOnly), scopes: [.trigger]),
    ]

    static func digest(_ token: String) -> [UInt8] {
        APISettings.digest(hex: APIToken.hashHex(token)) ?? []
    }
}

/// A running API server on 127.0.0.1 (port 0, read back) over the real coordinator, capture service, archive and
/// journal, in a temporary state directory.
struct APITestServer {
    let port: Int
    let server: APIServer
    let service: CaptureService
    let journal: EventJournal
    let coordinator: CaptureCoordinator
    let configuration: Configuration
    let scheme: String

    var base: String { "\(scheme)://127.0.0.1:\(port)" }

    /// The archive path of a device's configuration.
    func path(_ device: String) throws -> String {
        try service.layout.configPath(for: #require(configuration.device(named: device)))
    }
}

/// Devices that nothing answers for (a held, closed port): enough for every route but a capture.
func unreachableDevices(_ names: [String], port: Int) -> [Device] {
    names.map {
        Device(name: $0, host: "127.0.0.1", port: port, platform: "cisco_ios", group: "core", credentials: ["lab"])
    }
}

/// Starts the API over `devices` (or a lab's), runs `body`, and stops everything also when `body` throws.
func withAPIServer<T>(
    devices: [Device], settings: APISettings = APISettings(listen: ListenAddress(host: "127.0.0.1", port: 0)),
    metrics: @escaping @Sendable () -> String = { "netraven_up 1\n" },
    _ body: (APITestServer) async throws -> T
) async throws -> T {
    let directory = try TemporaryDirectory(prefix: "netraven-api")
    var agentSettings = AgentSettings(stateDirectory: directory.path + "/state")
    agentSettings.collection = CollectionSettings(
        concurrency: 4, connectTimeout: .seconds(30), commandTimeout: .seconds(30), overallTimeout: .seconds(120),
        retries: 0, backoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(200), multiplier: 2, jitter: 0))
    let credentials = CredentialSet(
        name: "lab", username: "admin", passwords: [Secret("admin")], enable: Secret("enable"))
    var configuration = Configuration(
        settings: agentSettings, devices: devices, credentials: ["lab": credentials],
        rules: try RuleBook.load(directory: PackagePaths.rules))
    var apiSettings = settings
    apiSettings.tokens = TestTokens.configured
    configuration.api = apiSettings

    var logger = Logger(label: "api-test")
    logger.logLevel = .warning
    let service = try CaptureService(configuration: configuration, logger: logger)
    let journal: EventJournal
    do {
        journal = try await EventJournal.open(path: service.layout.journal)
    } catch {
        await service.shutdown()
        throw error
    }
    let coordinator = CaptureCoordinator(
        service: service, journal: journal,
        settings: DebounceSettings(
            quietPeriod: .milliseconds(300), maximumDelay: .seconds(5), recheckDelay: .milliseconds(300), concurrency: 4
        ),
        logger: logger)
    let parts = Daemon.Parts(
        coordinator: coordinator, service: service, journal: journal, ports: .none, configuration: configuration)
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let server: APIServer
    do {
        server = try APIServer(
            settings: apiSettings, backend: APIBackend(daemon: parts, metrics: metrics), logger: logger,
            onListening: { portContinuation.yield($0) })
    } catch {
        await service.shutdown()
        throw error
    }
    let group = ServiceGroup(services: [server], logger: logger)
    let running = Task { try await group.run() }
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await running.result
        await coordinator.drain()
        await service.shutdown()
    }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else {
        await stop()
        throw TestFailure(description: "the API server never reported its port")
    }
    let handle = APITestServer(
        port: port, server: server, service: service, journal: journal, coordinator: coordinator,
        configuration: configuration, scheme: apiSettings.tls == nil ? "http" : "https")
    do {
        let result = try await body(handle)
        await stop()
        return result
    } catch {
        await stop()
        throw error
    }
}

/// A lab of `count` devices on loopback, torn down after `body`.
func withLabDevices<T>(_ count: Int, _ body: ([Device], Lab) async throws -> T) async throws -> T {
    let lab = try Lab(configuration: LabConfiguration(devices: count, platforms: [.ciscoIOS], controlPort: nil))
    return try await withStartedLab(lab) { endpoints in
        let devices = endpoints.devices.map {
            Device(
                name: $0.name, host: "127.0.0.1", port: $0.port, platform: $0.platform, group: "lab",
                credentials: ["lab"])
        }
        return try await body(devices, lab)
    }
}

/// A response as the tests read it.
struct HTTPReply {
    var status: Int
    var headers: [String: String]
    var body: String

    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

/// Runs curl (a real HTTP peer) on a thread of its own (never blocking the cooperative pool the server's
/// handlers need) and returns status, headers and body; `arguments` come before the URL.
func curl(_ url: String, _ arguments: [String] = []) async throws -> HTTPReply {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try curlBlocking(url, arguments) }) }.start()
    }
}

func curlBlocking(_ url: String, _ arguments: [String]) throws -> HTTPReply {
    let headerFile = FileManager.default.temporaryDirectory.appendingPathComponent("curl-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: headerFile) }
    // curl's status is not checked: a refused handshake is an answer the tests look at (status 0).
    let body = try runProgram(
        "/usr/bin/curl", ["-sS", "--max-time", "120", "-D", headerFile] + arguments + [url], checkStatus: false)
    let headerText = (try? String(contentsOfFile: headerFile, encoding: .utf8)) ?? ""
    var status = 0
    var headers: [String: String] = [:]
    // With redirects followed (-L) there are several header blocks; the last one is the answer's.
    for line in headerText.components(separatedBy: "\r\n") {
        if line.hasPrefix("HTTP/") {
            status = Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
            headers = [:]
        } else if let colon = line.firstIndex(of: ":") {
            headers[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
    }
    return HTTPReply(status: status, headers: headers, body: body)
}

extension APITestServer {
    /// A request with an optional bearer token, through curl.
    func call(_ method: String, _ path: String, token: String? = nil, extra: [String] = []) async throws -> HTTPReply {
        var arguments = ["-X", method]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        return try await curl(base + path, arguments + extra)
    }

    /// The body parsed as a JSON object.
    func json(_ reply: HTTPReply) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any], "\(reply.body)")
    }
}
