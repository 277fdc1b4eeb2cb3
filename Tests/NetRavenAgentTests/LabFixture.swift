import Foundation
import Logging
import NetRavenAgent
import NetRavenCore
import NetRavenLab

/// A running in-process lab plus a NetRaven configuration pointing at it, in a temporary state directory.
/// Everything is torn down by `withLab` even when the test fails.
struct LabSetup {
    let lab: Lab
    let endpoints: LabEndpoints
    let stateDirectory: String
    var configuration: Configuration

    func device(_ name: String) -> LabDevice { lab.device(named: name)! }
}

/// The repository's `rules/` directory.
let repositoryRules: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("rules").path
}()

/// Starts a lab of `devices` devices, builds a configuration for it, runs `body`, and cleans up.
func withLab<T>(
    devices: Int = 4, platforms: [LabPlatform] = LabPlatform.allCases, collection: CollectionSettings = .fastTests,
    maskSecrets: Bool = false, _ body: (LabSetup) async throws -> T
) async throws -> T {
    let lab = try Lab(configuration: LabConfiguration(devices: devices, platforms: platforms, controlPort: nil))
    let endpoints = try await lab.start()
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("netraven-agent-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: state) }
    do {
        let rules = try RuleBook.load(directory: repositoryRules)
        let credentials = CredentialSet(
            name: "lab", username: "admin", passwords: [Secret("admin")], enable: Secret("enable"))
        let devices = endpoints.devices.map {
            Device(name: $0.name, host: "127.0.0.1", port: $0.port, platform: $0.platform, group: "lab", credentials: ["lab"])
        }
        var settings = AgentSettings(stateDirectory: state)
        settings.collection = collection
        settings.archive.maskSecrets = maskSecrets
        let configuration = Configuration(settings: settings, devices: devices, credentials: ["lab": credentials], rules: rules)
        let result = try await body(LabSetup(lab: lab, endpoints: endpoints, stateDirectory: state, configuration: configuration))
        try await lab.shutdown()
        return result
    } catch {
        try? await lab.shutdown()
        throw error
    }
}

/// Runs `body` with a capture service for `setup`, shut down afterwards.
func withService<T>(_ configuration: Configuration, _ body: (CaptureService) async throws -> T) async throws -> T {
    var logger = Logger(label: "test")
    logger.logLevel = .warning  // the capture lifecycle at info level would bury the test report
    let service = try CaptureService(configuration: configuration, logger: logger)
    do {
        let result = try await body(service)
        await service.shutdown()
        return result
    } catch {
        await service.shutdown()
        throw error
    }
}

extension CollectionSettings {
    /// Short timeouts so fault tests end quickly; no retries unless a test asks for them.
    static let fastTests = CollectionSettings(
        concurrency: 8, connectTimeout: .seconds(3), commandTimeout: .seconds(2), overallTimeout: .seconds(20),
        retries: 0, backoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(200), multiplier: 2, jitter: 0))
}

extension CaptureResult {
    var failureClass: CaptureError.Code? {
        if case .failed(let error) = outcome { return error.code }
        return nil
    }

    var isChanged: Bool {
        if case .changed = outcome { return true }
        return false
    }

    var isUnchanged: Bool {
        if case .unchanged = outcome { return true }
        return false
    }
}
