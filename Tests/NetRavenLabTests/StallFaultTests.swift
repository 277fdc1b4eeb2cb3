import Foundation
import Testing

@testable import NetRavenLab

/// The `stallAfterBytes` fault: a device that hangs mid-output (part of the config, then silence on an open
/// connection). Driven byte by byte without SSH, and set through the control API.
@Suite struct StallFaultTests {
    func makeDevice(_ platform: LabPlatform) throws -> LabDevice {
        let config = ConfigGenerator(platform: platform, hostname: "r1", targetBytes: 8192).generate()
        return try LabDevice(
            name: "r1", platform: platform, index: 1, username: "admin", password: "pw", enablePassword: "en",
            config: config, hostKeyFile: nil, now: 1_795_000_000)
    }

    func type(_ shell: inout DeviceShell, _ text: String) -> (text: String, closed: Bool) {
        var out = ""
        var closed = false
        for action in shell.receive(Array(text.utf8)) {
            if case .send(let s) = action { out += s } else { closed = true }
        }
        return (out, closed)
    }

    @Test(arguments: [LabPlatform.ciscoIOS, .juniperJunos])
    func showOutputStopsMidWayAndTheSessionNeverAnswersAgain(_ platform: LabPlatform) throws {
        let device = try makeDevice(platform)
        var shell = DeviceShell(device: device, user: "admin")
        if platform == .ciscoIOS { _ = type(&shell, "enable\ren\r") }
        let prompt = shell.prompt
        device.setFaults(LabFaults(stallAfterBytes: 600))
        let command = platform == .juniperJunos ? "show configuration | no-more\r" : "terminal length 0\rshow run\r"
        let (output, closed) = type(&shell, command)
        #expect(!closed, "the connection stays open")
        let afterEcho = output.components(separatedBy: "\r\n").dropFirst(platform == .ciscoIOS ? 2 : 1)
            .joined(separator: "\r\n")
        #expect(afterEcho.utf8.count == 600, "exactly the first 600 bytes of the output: \(afterEcho.utf8.count)")
        #expect(!output.hasSuffix(prompt), "no prompt after the partial output")
        #expect(type(&shell, "show version\r") == ("", false), "input is ignored from now on")
        #expect(type(&shell, "exit\r") == ("", false), "even exit")
    }

    @Test func theControlAPISetsAndClearsIt() async throws {
        try await withLab { _, endpoints in
            let port = try #require(endpoints.control)
            #expect(try await control(port, "POST", "/devices/r1/faults", body: #"{"stallAfterBytes":900}"#).0 == 200)
            let (_, set) = try await control(port, "GET", "/devices/r1")
            #expect(set.contains(#""stallAfterBytes":900"#), "\(set)")
            #expect(try await control(port, "POST", "/devices/r1/faults", body: #"{"stallAfterBytes":0}"#).0 == 200)
            let (_, cleared) = try await control(port, "GET", "/devices/r1")
            #expect(!cleared.contains("stallAfterBytes"), "\(cleared)")
        }
    }
}
