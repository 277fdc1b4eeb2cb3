import Foundation
import Logging
import NetRavenAgent
import NetRavenCore
import NetRavenGit
import NetRavenLab
import NetRavenSSH
import Testing

/// libssh + the platform rules against the device lab (an independent emulation of each platform).
@Suite struct LabCollectionTests {
    @Test(arguments: LabPlatform.allCases)
    func collectsEachPlatform(platform: LabPlatform) async throws {
        try await withLab(devices: 1, platforms: [platform]) { setup in
            let device = setup.configuration.devices[0]
            let labDevice = setup.device(device.name)
            try await withService(setup.configuration) { service in
                let result = await service.capture(CaptureRequest(device: device, trigger: .manual))
                #expect(result.isChanged, "\(result.outcome)")
                let stored = try #require(try await service.archive.read(path: "lab/\(device.name).cfg"))
                // The stored configuration is the device's configuration without volatile lines: compare the
                // meaningful lines the lab holds.
                let labLines = labDevice.config.split(separator: "\n").map { String($0).trimmingTrailingWhitespace }
                let storedLines = Set(stored.split(separator: "\n").map { String($0).trimmingTrailingWhitespace })
                let volatile = setup.configuration.rules.platforms[device.platform]!.volatile
                let missing = labLines.filter { line in
                    !line.isEmpty && !storedLines.contains(line) && !volatile.contains { $0.matches(line) }
                }
                #expect(missing.isEmpty, "lines the device has but the archive lacks: \(missing.prefix(5))")
                #expect(!stored.contains("Last configuration change"))
                #expect(!stored.contains("## Last commit"))
                #expect(!stored.contains("!Time:"))
                #expect(!stored.contains("--More--"))
                #expect(!stored.contains("---(more"))
                let facts = try #require(try await service.archive.read(path: "lab/\(device.name).facts.json"))
                #expect(facts.contains(labDevice.serial), "facts: \(facts)")

                // A second capture of an unchanged device commits nothing, although volatile lines moved on.
                let again = await service.capture(CaptureRequest(device: device, trigger: .manual))
                #expect(again.isUnchanged, "\(again.outcome)")
            }
        }
    }

    @Test func pagingLeftOnIsAnsweredAndCleaned() async throws {
        try await withLab(devices: 2, platforms: [.ciscoIOS, .juniperJunos]) { setup in
            var configuration = setup.configuration
            // A device that ignores "terminal length 0": the pager must be answered and its debris removed.
            for name in configuration.rules.platforms.keys {
                configuration.rules.platforms[name]?.afterLogin = []
            }
            try await withService(configuration) { service in
                for device in configuration.devices {
                    let result = await service.capture(CaptureRequest(device: device, trigger: .manual))
                    #expect(result.isChanged, "\(device.name): \(result.outcome)")
                    let stored = try #require(try await service.archive.read(path: "lab/\(device.name).cfg"))
                    #expect(!stored.contains("More"), "pager debris in \(device.name)")
                    let labLines = setup.device(device.name).config.split(separator: "\n").filter { !$0.isEmpty }
                    let storedLines = stored.split(separator: "\n").filter { !$0.isEmpty }
                    #expect(storedLines.count >= labLines.count - 2, "\(device.name): \(storedLines.count) of \(labLines.count)")
                }
            }
        }
    }

    @Test func masksSecretsInTheArchive() async throws {
        try await withLab(devices: 1, platforms: [.ciscoIOS], maskSecrets: true) { setup in
            let device = setup.configuration.devices[0]
            try await withService(setup.configuration) { service in
                _ = await service.capture(CaptureRequest(device: device, trigger: .manual))
                let stored = try #require(try await service.archive.read(path: "lab/\(device.name).cfg"))
                #expect(stored.contains("<removed>"))
                for line in setup.device(device.name).config.split(separator: "\n") where line.contains("snmp-server community") {
                    let secret = line.split(separator: " ")[2]
                    #expect(!stored.contains(" \(secret) "), "community \(secret) survived masking")
                }
            }
        }
    }

    /// Every fault the lab injects ends in its own failure class, and nothing is committed.
    @Test(arguments: [
        ("rejectAuth", CaptureError.Code.authenticationFailed),
        ("hang", .timeout),
        ("drop", .connectionLost),
        ("truncate", .truncatedOutput),
        ("rotateHostKey", .hostKeyChanged),
    ])
    func faultsAreClassifiedAndNothingIsCommitted(fault: String, expected: CaptureError.Code) async throws {
        let collection: CollectionSettings = fault == "hang" ? .hangingDevice : .tests
        try await withLab(devices: 1, platforms: [.ciscoIOS], collection: collection) { setup in
            let device = setup.configuration.devices[0]
            let labDevice = setup.device(device.name)
            try await withService(setup.configuration) { service in
                // A first good capture, so the host key is known and there is something not to overwrite.
                let first = await service.capture(CaptureRequest(device: device, trigger: .manual))
                #expect(first.isChanged)
                let head = try await service.archive.head()
                labDevice.applyChange(LabConfigChange(user: "jdoe", add: ["ntp server 192.0.2.1"]))
                switch fault {
                case "rejectAuth": _ = try labDevice.update(faults: LabFaultUpdate(rejectAuth: true))
                case "hang": _ = try labDevice.update(faults: LabFaultUpdate(hang: true))
                case "drop": _ = try labDevice.update(faults: LabFaultUpdate(dropAfterBytes: 600))
                case "truncate": _ = try labDevice.update(faults: LabFaultUpdate(truncateAfterBytes: 900))
                default: try labDevice.rotateHostKey()
                }
                let result = await service.capture(CaptureRequest(device: device, trigger: .manual))
                #expect(result.failureClass == expected, "\(result.outcome)")
                #expect(try await service.archive.head() == head, "a failed capture must not commit")
            }
        }
    }

    @Test func slowDeviceStillCaptured() async throws {
        try await withLab(devices: 1, platforms: [.aristaEOS]) { setup in
            _ = try setup.device(setup.configuration.devices[0].name).update(faults: LabFaultUpdate(slowMs: 20))
            try await withService(setup.configuration) { service in
                let result = await service.capture(CaptureRequest(device: setup.configuration.devices[0], trigger: .manual))
                #expect(result.isChanged, "\(result.outcome)")
            }
        }
    }

    @Test func credentialSetsAreTriedInOrderAndEnableRefusalIsAnAuthFailure() async throws {
        try await withLab(devices: 1, platforms: [.ciscoIOS]) { setup in
            var configuration = setup.configuration
            configuration.credentials["wrong"] = CredentialSet(
                name: "wrong", username: "admin", passwords: [Secret("not-the-password"), Secret("also-wrong")])
            configuration.devices[0].credentials = ["wrong", "lab"]
            try await withService(configuration) { service in
                let result = await service.capture(CaptureRequest(device: configuration.devices[0], trigger: .manual))
                #expect(result.isChanged, "\(result.outcome)")
            }
            configuration.credentials["badEnable"] = CredentialSet(
                name: "badEnable", username: "admin", passwords: [Secret("admin")], enable: Secret("wrong-enable"))
            configuration.devices[0].credentials = ["badEnable"]
            try await withService(configuration) { service in
                let result = await service.capture(CaptureRequest(device: configuration.devices[0], trigger: .manual))
                #expect(result.failureClass == .authenticationFailed, "\(result.outcome)")
                if case .failed(let error) = result.outcome {
                    #expect(!error.description.contains("wrong-enable"))
                }
            }
        }
    }

    @Test func transientFailuresAreRetriedAuthFailuresAreNot() async throws {
        var collection = CollectionSettings.tests
        collection.retries = 2
        try await withLab(devices: 2, platforms: [.ciscoIOS], collection: collection) { setup in
            let dropping = setup.configuration.devices[0]
            let rejecting = setup.configuration.devices[1]
            _ = try setup.device(dropping.name).update(faults: LabFaultUpdate(dropAfterBytes: 500))
            _ = try setup.device(rejecting.name).update(faults: LabFaultUpdate(rejectAuth: true))
            try await withService(setup.configuration) { service in
                let results = await service.capture([
                    CaptureRequest(device: dropping, trigger: .manual), CaptureRequest(device: rejecting, trigger: .manual),
                ])
                #expect(results[0].failureClass == .connectionLost)
                #expect(results[0].attempts == 3, "a connection lost mid-output is retried twice")
                #expect(results[1].failureClass == .authenticationFailed)
                #expect(results[1].attempts == 1, "an authentication failure is never retried")
            }
        }
    }
}

extension String {
    var trimmingTrailingWhitespace: String {
        var text = Substring(self)
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text = text.dropLast() }
        return String(text)
    }
}
