import Foundation
import Testing

@testable import NetRavenLab

/// The lab over real SSH, with netmiko / paramiko as the independent client.
@Suite(.serialized) struct LabIntegrationTests {
    static let expectations: [LabPlatform: (config: String, version: [String])] = [
        .ciscoIOS: ("show running-config", ["Processor board ID FTX2", "Version 15.9(3)M4", "cisco ISR4331/K9 (1RU)"]),
        .ciscoNXOS: ("show running-config", ["Processor Board ID FDO2", "NXOS: version 9.3(8)", "C93180YC-EX chassis"]),
        .aristaEOS: ("show running-config", ["Serial number:       JPE1", "Software image version: 4.28.3M"]),
        .juniperJunos: ("show configuration", ["Model: mx204", "Junos: 21.4R3.15"]),
    ]

    @Test func netmikoFetchesEveryPlatform() async throws {
        try await withLab { lab, endpoints in
            #expect(endpoints.devices.map(\.platform) == ["cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos"])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for device in lab.devices {
                    group.addTask {
                        let (configCommand, versionLines) = Self.expectations[device.platform]!
                        let result = try await LabClient.netmiko(device, commands: [configCommand, "show version"])
                        #expect(result["ok"] as? Bool == true, "\(device.name): \(result)")
                        let outputs = result["outputs"] as? [String: String] ?? [:]
                        let config = outputs[configCommand] ?? ""
                        let version = outputs["show version"] ?? ""
                        #expect(config.contains(device.name))
                        for line in versionLines { #expect(version.contains(line), "\(device.name): \(line)") }
                        // Junos prints the serial in `show chassis hardware`, not in `show version`.
                        if device.platform != .juniperJunos { #expect(version.contains(device.serial)) }
                        switch device.platform {
                        case .ciscoIOS:
                            #expect(config.contains("! Last configuration change at "))
                            #expect(config.contains("ntp clock-period "))
                        case .ciscoNXOS: #expect(config.contains("!Time: "))
                        case .aristaEOS: #expect(config.contains("! device: \(device.name) (DCS-7050SX3-48YC8"))
                        case .juniperJunos: #expect(config.hasPrefix("## Last commit: "))
                        }
                        #expect(comparable(config) == comparable(device.config), "\(device.name)")
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test func junosHardwareAndDisplaySet() async throws {
        let configuration = LabConfiguration(devices: 1, platforms: [.juniperJunos], password: "pw")
        try await withLab(configuration) { lab, _ in
            let device = lab.devices[0]
            let result = try await LabClient.netmiko(
                device, commands: ["show chassis hardware", "show configuration | display set"])
            let outputs = result["outputs"] as? [String: String] ?? [:]
            #expect(outputs["show chassis hardware"]?.contains("Chassis                                JN12") == true)
            #expect(outputs["show configuration | display set"]?.contains("set system host-name r1") == true)
        }
    }

    @Test func pagerWithoutTerminalLength() async throws {
        try await withLab { lab, _ in
            let ios = lab.devices[0]
            let result = try await LabClient.raw(
                ios, send: [("enable\n", 0.3), ("en\n", 0.3), ("show running-config\n", 0.5)]
                    + Array(repeating: (" ", 0.15), count: 12))
            let output = result["output"] as? String ?? ""
            #expect(output.contains(" --More-- "))
            #expect(output.contains("\r\nend\r\nr1#"))
        }
    }

    @Test func controlAPIChangesShowUpInTheNextShow() async throws {
        try await withLab { lab, endpoints in
            let port = endpoints.control!
            let ios = lab.devices[0]
            let (listStatus, list) = try await control(port, "GET", "/devices")
            #expect(listStatus == 200 && list.contains("\"name\":\"r4\""))
            #expect(try await control(port, "GET", "/devices/nope").0 == 404)
            #expect(try await control(port, "POST", "/devices/r1/change", body: "{not json").0 == 400)
            let change = #"{"user":"alice","source":"10.1.1.5","add":["ntp server 10.7.7.7"],"#
                + #""remove":["ntp server 10.0.0.2"]}"#
            let (status, summary) = try await control(port, "POST", "/devices/r1/change", body: change)
            #expect(status == 200 && summary.contains("\"changeCount\":1"))
            let config = try await LabClient.netmiko(ios, commands: ["show running-config"])
            let text = (config["outputs"] as? [String: String])?["show running-config"] ?? ""
            #expect(text.contains("ntp server 10.7.7.7"))
            #expect(!text.contains("ntp server 10.0.0.2"))
            #expect(text.contains(" by alice\n"))

            let junosChange = #"{"user":"bob","add":["set system ntp server 10.7.7.7"]}"#
            #expect(try await control(port, "POST", "/devices/r4/change", body: junosChange).0 == 200)
            let junos = try await LabClient.netmiko(lab.devices[3], commands: ["show configuration"])
            let junosText = (junos["outputs"] as? [String: String])?["show configuration"] ?? ""
            #expect(junosText.contains("server 10.7.7.7;") && junosText.contains(" by bob"))

            let newConfig = "version 15.9\nhostname r1\n!\ninterface Loopback0\n ip address 10.1.1.1 255.255.255.255\n!\nend\n"
            #expect(try await control(port, "PUT", "/devices/r1/config", body: newConfig).0 == 200)
            let (_, stored) = try await control(port, "GET", "/devices/r1/config")
            #expect(stored == newConfig)
        }
    }

    @Test func faults() async throws {
        try await withLab { lab, endpoints in
            let port = endpoints.control!
            let ios = lab.devices[0]

            #expect(try await control(port, "POST", "/devices/r1/faults", body: #"{"rejectAuth":true}"#).0 == 200)
            let rejected = try await LabClient.raw(ios, send: [])
            #expect(rejected["kind"] as? String == "auth")
            #expect(try await control(port, "DELETE", "/devices/r1/faults").0 == 200)

            let full = ios.renderedConfig().utf8.count
            _ = try await control(port, "POST", "/devices/r1/faults", body: #"{"truncateAfterBytes":1000}"#)
            let truncated = try await LabClient.netmiko(ios, commands: ["show running-config"])
            #expect(truncated["ok"] as? Bool == true)
            let text = (truncated["outputs"] as? [String: String])?["show running-config"] ?? ""
            #expect(text.utf8.count < 1100 && text.utf8.count < full)
            #expect(!text.contains("\nend"))
            ios.clearFaults()

            ios.setFaults(LabFaults(dropAfterBytes: 1500))
            let dropped = try await LabClient.raw(
                ios, send: [("enable\n", 0.3), ("en\n", 0.3), ("terminal length 0\n", 0.3), ("show run\n", 1.5)])
            #expect(dropped["closed"] as? Bool == true)
            #expect(!(dropped["output"] as? String ?? "").contains("\r\nend\r\n"))
            ios.clearFaults()

            let before = try await LabClient.raw(ios, send: [])["hostkey"] as? String
            #expect(before == ios.hostPublicKey)
            _ = try await control(port, "POST", "/devices/r1/faults", body: #"{"rotateHostKey":true}"#)
            let after = try await LabClient.raw(ios, send: [])["hostkey"] as? String
            #expect(after != nil && after != before && after == ios.hostPublicKey)

            ios.setFaults(LabFaults(hang: true))
            let start = Date()
            let hung = try await LabClient.raw(ios, send: [("show version\n", 1)], timeout: 3)
            #expect(hung["ok"] as? Bool == false && hung["kind"] as? String == "timeout", "\(hung)")
            #expect(Date().timeIntervalSince(start) >= 2.5)
            ios.clearFaults()

            ios.setFaults(LabFaults(slowMs: 200))
            let slowStart = Date()
            let slow = try await LabClient.raw(ios, send: [("show version\n", 1.5)])
            #expect((slow["output"] as? String ?? "").contains("Configuration register"))
            #expect(Date().timeIntervalSince(slowStart) >= 0.4)
        }
    }

    @Test func sixtyDevicesAndPersistentHostKeys() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("lab-state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let configuration = LabConfiguration(devices: 60, stateDirectory: state.path, password: "pw")
        let keys = try await withLab(configuration) { lab, endpoints in
            #expect(Set(endpoints.devices.map(\.port)).count == 60)
            let last = try await LabClient.raw(lab.devices[59], send: [("show version\n", 0.5)])
            #expect((last["output"] as? String ?? "").contains("Hostname: r60"))
            return lab.devices.map(\.hostPublicKey)
        }
        let again = try Lab(configuration: configuration)
        #expect(again.devices.map(\.hostPublicKey) == keys)
        try await again.shutdown()
    }

    @Test func wrongPasswordIsRejected() async throws {
        try await withLab { lab, _ in
            let result = try await LabClient.raw(lab.devices[1], send: [], password: "wrong")
            #expect(result["kind"] as? String == "auth")
        }
    }
}
