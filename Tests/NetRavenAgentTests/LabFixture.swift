import Foundation
import Logging
import NetRavenAgent
import NetRavenCore
import NetRavenLab
import NetRavenTestSupport

/// A running in-process lab plus a NetRaven configuration pointing at it, in a temporary state directory.
/// Everything is torn down by `withLab` even when the test fails.
struct LabSetup {
    let lab: Lab
    let endpoints: LabEndpoints
    let stateDirectory: String
    var configuration: Configuration

    func device(_ name: String) -> LabDevice { lab.device(named: name)! }
}


/// Starts a lab of `devices` devices, builds a configuration for it, runs `body`, and cleans up.
func withLab<T>(
    devices: Int = 4, platforms: [LabPlatform] = LabPlatform.allCases, collection: CollectionSettings = .tests,
    maskSecrets: Bool = false, _ body: (LabSetup) async throws -> T
) async throws -> T {
    let lab = try Lab(configuration: LabConfiguration(devices: devices, platforms: platforms, controlPort: nil))
    let directory = try TemporaryDirectory(prefix: "netraven-agent")
    let state = directory.path + "/state"
    return try await withStartedLab(lab) { endpoints in
        let rules = try RuleBook.load(directory: PackagePaths.rules)
        let credentials = CredentialSet(
            name: "lab", username: "admin", passwords: [Secret("admin")], enable: Secret("enable"))
        let devices = endpoints.devices.map {
            Device(name: $0.name, host: "127.0.0.1", port: $0.port, platform: $0.platform, group: "lab", credentials: ["lab"])
        }
        var settings = AgentSettings(stateDirectory: state)
        settings.collection = collection
        settings.archive.maskSecrets = maskSecrets
        let configuration = Configuration(settings: settings, devices: devices, credentials: ["lab": credentials], rules: rules)
        return try await body(LabSetup(lab: lab, endpoints: endpoints, stateDirectory: state, configuration: configuration))
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
    /// Generous timeouts: a loaded 2-core machine running debug builds and parallel tests can take seconds for an
    /// SSH handshake, and a timeout here would be a hidden timing assertion. No retries unless a test asks.
    static let tests = CollectionSettings(
        concurrency: 8, connectTimeout: .seconds(30), commandTimeout: .seconds(30), overallTimeout: .seconds(120),
        retries: 0, backoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(200), multiplier: 2, jitter: 0))

    /// Short timeouts, only for tests whose device hangs on purpose (so the failure arrives quickly).
    static let hangingDevice: CollectionSettings = {
        var settings = CollectionSettings.tests
        settings.connectTimeout = .seconds(3)
        settings.commandTimeout = .seconds(3)
        return settings
    }()
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
