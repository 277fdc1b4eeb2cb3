import Foundation
import Logging
import NetRavenAgent
import NetRavenCore
import NetRavenTestSupport
import Testing

/// Collection from `fakenos` (PyPI): an independent cisco_ios fake, so the rules are checked against someone else's
/// idea of IOS too.
@Suite struct FakeNOSTests {
    @Test func collectsCiscoIOSFromFakenos() async throws {
        let python = PackagePaths.root + "/.venv/bin/python"
        try #require(
            FileManager.default.isExecutableFile(atPath: python),
            "the fakenos test peer is missing: run scripts/bootstrap (it installs fakenos into .venv)")
        let temporary = try TemporaryDirectory(prefix: "netraven-fakenos")
        let directory = temporary.path
        let port = try freeLoopbackPort()
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
        server.arguments = [PackagePaths.script("fakenos-server.py"), directory + "/fakenos.yaml"]
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
        settings.collection = .tests
        let configuration = Configuration(
            settings: settings,
            devices: [Device(name: "fake1", host: "127.0.0.1", port: port, platform: "cisco_ios", group: "fakenos", credentials: ["fk"])],
            credentials: ["fk": CredentialSet(name: "fk", username: "netops", passwords: [Secret("fk-Pass-123")], enable: Secret("fk-Pass-123"))],
            rules: try RuleBook.load(directory: PackagePaths.rules))
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
