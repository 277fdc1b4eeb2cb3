import Foundation
import Logging
import NetRavenAgent
import NetRavenCore
import Testing

/// Collection from `fakenos` (PyPI): an independent cisco_ios fake, so the rules are checked against someone else's
/// idea of IOS too.
@Suite struct FakeNOSTests {
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    @Test func collectsCiscoIOSFromFakenos() async throws {
        let python = Self.packageRoot + "/.venv/bin/python"
        try #require(
            FileManager.default.isExecutableFile(atPath: python),
            "the fakenos test peer is missing: run scripts/bootstrap (it installs fakenos into .venv)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("netraven-fakenos-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = try freePort()
        let inventory = """
            default:
              username: netops
              password: fk-Pass-123
              server: {plugin: ParamikoSshServer, configuration: {address: 127.0.0.1, timeout: 1}}
              shell: {plugin: CMDShell, configuration: {}}
              nos: {plugin: cisco_ios, configuration: {}}
            hosts:
              fake1: {port: \(port), platform: cisco_ios}
            """
        try inventory.write(toFile: directory + "/fakenos.yaml", atomically: true, encoding: .utf8)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: python)
        server.arguments = [Self.packageRoot + "/scripts/fakenos-server.py", directory + "/fakenos.yaml"]
        let ready = Pipe()
        server.standardOutput = ready
        server.standardError = FileHandle.nullDevice
        try server.run()
        // Foundation's waitUntilExit can hang on Linux for a signalled child (its exit notification is lost):
        // kill and reap the server directly.
        defer { stopServer(server.processIdentifier) }
        // "ready" arrives once the device listens.
        let line = ready.fileHandleForReading.availableData
        #expect(String(decoding: line, as: UTF8.self).contains("ready"))

        var settings = AgentSettings(stateDirectory: directory + "/state")
        settings.collection = .fastTests
        settings.collection.commandTimeout = .seconds(5)
        let configuration = Configuration(
            settings: settings,
            devices: [Device(name: "fake1", host: "127.0.0.1", port: port, platform: "cisco_ios", group: "fakenos", credentials: ["fk"])],
            credentials: ["fk": CredentialSet(name: "fk", username: "netops", passwords: [Secret("fk-Pass-123")], enable: Secret("fk-Pass-123"))],
            rules: try RuleBook.load(directory: repositoryRules))
        try await withService(configuration) { service in
            let result = await service.capture(CaptureRequest(device: configuration.devices[0], trigger: .manual))
            #expect(result.isChanged, "\(result.outcome)")
            let stored = try #require(try await service.archive.read(path: "fakenos/fake1.cfg"))
            #expect(stored.contains("hostname fake1"))
            #expect(stored.hasSuffix("end\n"))
            #expect(!stored.contains("Building configuration"))
            let facts = try #require(try await service.archive.read(path: "fakenos/fake1.facts.json"))
            #expect(facts.contains("\"serial\""), "\(facts)")
            #expect(facts.contains("\"os_version\""), "\(facts)")
        }
    }
}

/// A TCP port that was free a moment ago on 127.0.0.1.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Kills a test server and reaps it; ECHILD (Foundation reaped it first) is fine.
func stopServer(_ pid: Int32) {
    kill(pid, SIGKILL)
    var status: Int32 = 0
    _ = waitpid(pid, &status, 0)
}
