import Foundation
import NetRavenAgent
import NetRavenCore
import NetRavenLab
import Testing

@Suite struct PushTests {
    /// A push that fails keeps the local commits; the next push delivers all of them, in order, without force.
    @Test func failedPushKeepsCommitsAndTheNextPushDeliversThem() async throws {
        try await withLab(devices: 1, platforms: [.ciscoIOS]) { setup in
            let remote = setup.stateDirectory + "-remote.git"
            defer { try? FileManager.default.removeItem(atPath: remote) }
            _ = try git(["init", "--bare", "--quiet", "--initial-branch=main", remote])
            var configuration = setup.configuration
            configuration.settings.archive.remote = RemoteSettings(url: "file://" + remote)
            let device = configuration.devices[0]
            try await withService(configuration) { service in
                _ = await service.capture(CaptureRequest(device: device, trigger: .manual))
                let first = await service.push()
                guard case .pushed = first else {
                    Issue.record("first push: \(first)")
                    return
                }
                #expect(try git(["--git-dir", remote, "rev-list", "--count", "main"]).hasPrefix("1"))

                // The remote goes away; a change is captured; the push fails but the commit stays.
                let away = remote + ".away"
                try FileManager.default.moveItem(atPath: remote, toPath: away)
                setup.device(device.name).applyChange(LabConfigChange(user: "jdoe", add: ["ntp server 192.0.2.7"]))
                let changed = await service.capture(CaptureRequest(device: device, trigger: .manual))
                #expect(changed.isChanged)
                let failed = await service.push()
                guard case .failed = failed else {
                    Issue.record("push to a missing remote: \(failed)")
                    return
                }
                let local = try #require(try await service.archive.head())

                try FileManager.default.moveItem(atPath: away, toPath: remote)
                let retried = await service.push()
                #expect(retried == .pushed(commit: String(local.id.prefix(12))))
                #expect(try git(["--git-dir", remote, "rev-parse", "main"]).hasPrefix(local.id))
                #expect(try git(["--git-dir", remote, "rev-list", "--count", "main"]).hasPrefix("2"))
                #expect(await service.push() == .upToDate)
            }
        }
    }
}
