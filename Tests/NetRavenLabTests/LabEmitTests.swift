import Foundation
import NetRavenTestSupport
import Testing

@testable import NetRavenLab

/// What the lab sends when a configuration changes: syslog lines to a UDP socket the test binds, traps to the real
/// Debian snmptrapd; changes made over SSH (paramiko, scripts/lab-client.py) and through the control API.
@Suite(.serialized) struct LabEmitTests {
    func configuration(
        _ platforms: [LabPlatform], syslog: UDPReceiver? = nil, trap: TrapReceiver? = nil,
        addressPerDevice: String? = nil
    ) -> LabConfiguration {
        LabConfiguration(
            devices: platforms.count, platforms: platforms, password: "pw", enablePassword: "en",
            addressPerDevice: addressPerDevice,
            syslogTarget: syslog.map { LabNotifyTarget(host: "127.0.0.1", port: $0.port) },
            trapTarget: trap.map { LabNotifyTarget(host: "127.0.0.1", port: $0.port) })
    }

    /// A raw SSH shell session: each text is sent, then its output collected for the given seconds.
    func session(_ device: LabDevice, _ send: [(String, Double)]) async throws -> String {
        let result = try await LabClient.raw(device, send: send)
        #expect(result["ok"] as? Bool == true, "\(result)")
        return result["output"] as? String ?? ""
    }

    static let iosHeader = #"<189>\d+: \*[A-Z][a-z]{2} [ 123]\d \d\d:\d\d:\d\d\.\d{3}: "#

    @Test func iosConfigSessionSendsConfigIWithUserAndSource() async throws {
        let receiver = try UDPReceiver()
        defer { receiver.stop() }
        try await withLab(configuration([.ciscoIOS], syslog: receiver)) { lab, _ in
            let r1 = lab.devices[0]
            let output = try await session(r1, [
                ("enable\n", 0.3), ("en\n", 0.3), ("configure terminal\n", 0.3), ("interface Loopback9\n", 0.3),
                (" description lab uplink\n", 0.3), ("end\n", 0.5),
            ])
            #expect(output.contains("r1(config)#interface Loopback9\r\nr1(config-if)# description lab uplink"))
            #expect(output.contains("r1(config-if)#end\r\nr1#"))
            let line = try await receiver.received.first(containing: "%SYS-5-CONFIG_I")
            let expected = try Regex(
                Self.iosHeader + #"%SYS-5-CONFIG_I: Configured from console by admin on vty0 \(127\.0\.0\.1\)"#)
            #expect(line.text.wholeMatch(of: expected) != nil, "\(line.text)")
            #expect(line.source == "127.0.0.1")
            #expect(r1.config.contains("\ninterface Loopback9\n description lab uplink\n"))
            #expect(r1.changeCount == 1)
        }
    }

    @Test func iosLeavingConfigModeWithoutEditsStillLogsButChangesNothing() async throws {
        let receiver = try UDPReceiver()
        defer { receiver.stop() }
        try await withLab(configuration([.ciscoIOS], syslog: receiver)) { lab, _ in
            let r1 = lab.devices[0]
            let before = r1.config
            _ = try await session(r1, [("enable\n", 0.3), ("en\n", 0.3), ("conf t\n", 0.3), ("end\n", 0.5)])
            _ = try await receiver.received.first(containing: "%SYS-5-CONFIG_I: Configured from console by admin")
            #expect(r1.config == before)
            #expect(r1.changeCount == 0)
        }
    }

    @Test func eosEnterChangeAndSave() async throws {
        let receiver = try UDPReceiver()
        defer { receiver.stop() }
        try await withLab(configuration([.aristaEOS], syslog: receiver)) { lab, _ in
            let r1 = lab.devices[0]
            _ = try await session(r1, [
                ("enable\n", 0.3), ("en\n", 0.3), ("configure\n", 0.3), ("ntp server 10.9.9.9\n", 0.3),
                ("end\n", 0.3), ("write memory\n", 0.5),
            ])
            let saved = try await receiver.received.first(containing: "CONFIG_STARTUP")
            let header = #"<165>[A-Z][a-z]{2} [ 123]\d \d\d:\d\d:\d\d r1 ConfigAgent: "#
            #expect(saved.text.wholeMatch(of: try Regex(header + #"%SYS-5-CONFIG_STARTUP: Startup config saved "#
                + #"from system:/running-config by admin on vty0 \(127\.0\.0\.1\)\."#)) != nil, "\(saved.text)")
            let texts = receiver.received.all.map(\.text)
            let entered = texts.firstIndex { $0.hasSuffix(
                "%SYS-5-CONFIG_E: Enter configuration mode from console by admin on vty0 (127.0.0.1)") }
            let configured = texts.firstIndex { $0.hasSuffix(
                "%SYS-5-CONFIG_I: Configured from console by admin on vty0 (127.0.0.1)") }
            #expect(entered != nil && configured != nil && entered! < configured!, "\(texts)")
            #expect(r1.config.contains("\nntp server 10.9.9.9\n"))
        }
    }

    @Test func junosCommitSendsUICommitAndEnteringIsNoChange() async throws {
        let receiver = try UDPReceiver()
        defer { receiver.stop() }
        try await withLab(configuration([.juniperJunos], syslog: receiver)) { lab, _ in
            let r1 = lab.devices[0]
            let output = try await session(r1, [
                ("configure\n", 0.3), ("set system ntp server 10.9.9.9\n", 0.3),
                ("commit comment \"ticket 42\"\n", 0.5), ("exit\n", 0.5),
            ])
            #expect(output.contains("Entering configuration mode\r\n\r\n[edit]\r\nadmin@r1# "))
            #expect(output.contains("commit complete\r\n\r\n[edit]\r\nadmin@r1# "))
            #expect(output.contains("Exiting configuration mode\r\n\r\nadmin@r1> "))
            let header = #"<189>[A-Z][a-z]{2} [ 123]\d \d\d:\d\d:\d\d r1 mgd\[\d+\]: "#
            let commit = try await receiver.received.first(containing: "UI_COMMIT:")
            #expect(commit.text.wholeMatch(of: try Regex(
                header + #"UI_COMMIT: User 'admin' requested 'commit' operation \(comment: ticket 42\)"#)) != nil,
                "\(commit.text)")
            let completed = try await receiver.received.first(containing: "UI_COMMIT_COMPLETED")
            #expect(completed.text.hasSuffix(": UI_COMMIT_COMPLETED: commit complete"))
            #expect(r1.config.contains("server 10.9.9.9;"))
            #expect(r1.changeCount == 1)

            // In and out of configuration mode without a commit: reported, but no commit and no change.
            _ = try await session(r1, [("configure\n", 0.3), ("exit\n", 0.5)])
            let logout = try await receiver.received.nth(2, containing: "UI_DBASE_LOGOUT_EVENT")
            #expect(logout.text.hasSuffix("UI_DBASE_LOGOUT_EVENT: User 'admin' exiting configuration mode"))
            #expect(receiver.received.all.filter { $0.text.contains("UI_COMMIT:") }.count == 1)
            #expect(r1.changeCount == 1)
        }
    }

    @Test func trapsAsSnmptrapdDecodesThem() async throws {
        let traps = try TrapReceiver()
        defer { traps.stop() }
        try await traps.ready()
        try await withLab(configuration(LabPlatform.allCases, trap: traps)) { lab, endpoints in
            let port = endpoints.control!
            let change = #"{"user":"jdoe","source":"10.1.1.5","add":["ntp server 10.7.7.7"]}"#
            #expect(try await control(port, "POST", "/devices/r1/change", body: change).0 == 200)
            let changed = try await traps.received.first(containing: ".1.3.6.1.4.1.9.9.43.1.1.6.1.5.1 = INTEGER:")
            #expect(changed.text.contains(".1.3.6.1.6.3.1.1.4.1.0 = OID: .1.3.6.1.4.1.9.9.43.2.0.1"))
            #expect(changed.text.contains(".1.3.6.1.4.1.9.9.43.1.1.6.1.3.1 = INTEGER: 1"))  // commandLine
            #expect(changed.text.contains(".1.3.6.1.4.1.9.9.43.1.1.6.1.4.1 = INTEGER: 2"))  // commandSource
            #expect(changed.text.contains(".1.3.6.1.4.1.9.9.43.1.1.6.1.5.1 = INTEGER: 3"))  // running
            #expect(changed.text.contains(".1.3.6.1.2.1.1.3.0 = Timeticks: "))

            _ = try await session(lab.devices[0], [("enable\n", 0.3), ("en\n", 0.3), ("write memory\n", 0.5)])
            let saved = try await traps.received.first(containing: ".1.3.6.1.4.1.9.9.43.1.1.6.1.5.2 = INTEGER:")
            #expect(saved.text.contains(".1.3.6.1.4.1.9.9.43.1.1.6.1.4.2 = INTEGER: 3"))  // running
            #expect(saved.text.contains(".1.3.6.1.4.1.9.9.43.1.1.6.1.5.2 = INTEGER: 4"))  // startup

            let junosChange = #"{"user":"bob","add":["set system ntp server 10.7.7.7"]}"#
            #expect(try await control(port, "POST", "/devices/r4/change", body: junosChange).0 == 200)
            let junos = try await traps.received.first(containing: "OID: .1.3.6.1.4.1.2636.4.5.0.1")
            #expect(junos.text.contains(".1.3.6.1.4.1.2636.3.18.1.7.1.5.1 = STRING: \"bob\""))  // user
            #expect(junos.text.contains(".1.3.6.1.4.1.2636.3.18.1.7.1.4.1 = INTEGER: 3"))  // junoscript
            #expect(junos.text.contains(".1.3.6.1.4.1.2636.3.18.1.7.1.2.1 = Timeticks: "))  // event time
            #expect(junos.text.contains(".1.3.6.1.4.1.2636.3.18.1.7.1.3.1 = Hex-STRING: "))  // DateAndTime
            #expect(junos.text.contains(".1.3.6.1.4.1.2636.3.18.1.7.1.6.1 = \"\""))  // no log text
            // Every trap came from the lab's address, one header line per trap.
            #expect(traps.received.all.filter { $0.text.contains("UDP: [127.0.0.1]:") }.count == 3)
        }
    }

    @Test func eachDeviceSendsFromItsOwnAddress() async throws {
        let receiver = try UDPReceiver()
        defer { receiver.stop() }
        let config = configuration([.ciscoIOS, .ciscoNXOS], syslog: receiver, addressPerDevice: "127.0.10.1")
        try await withLab(config) { lab, endpoints in
            #expect(endpoints.devices.map(\.host) == ["127.0.10.1", "127.0.10.2"])
            #expect(LabFiles.inventory(endpoints, host: "127.0.0.1").contains("name: r2\n    host: 127.0.10.2\n"))
            // SSH answers on the device's own address.
            let shell = try await LabClient.run([
                "mode": "raw", "host": "127.0.10.2", "port": lab.devices[1].port, "username": "admin",
                "password": "pw", "send": [["show version\n", 0.5]], "timeout": 10,
            ])
            #expect((shell["output"] as? String ?? "").contains("NXOS: version"))
            let change = #"{"user":"jdoe","source":"10.1.1.5","add":["ntp server 10.7.7.7"]}"#
            #expect(try await control(endpoints.control!, "POST", "/devices/r2/change", body: change).0 == 200)
            let line = try await receiver.received.first(containing: "VSHD_SYSLOG_CONFIG_I")
            #expect(line.source == "127.0.10.2")
            let nxos = try Regex(#"<189>: \d{4} [A-Z][a-z]{2} [ 123]\d \d\d:\d\d:\d\d UTC: "#
                + #"%VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by jdoe on 10\.1\.1\.5@pts/0"#)
            #expect(line.text.wholeMatch(of: nxos) != nil, "\(line.text)")
        }
    }

    @Test func notifyEndpointSwitchesSyslogPerDevice() async throws {
        let receiver = try UDPReceiver()
        defer { receiver.stop() }
        try await withLab(configuration([.ciscoIOS], syslog: receiver)) { _, endpoints in
            let port = endpoints.control!
            let (status, body) = try await control(port, "PUT", "/devices/r1/notify", body: #"{"syslog":false}"#)
            #expect(status == 200 && body.contains(#""syslog":false"#) && body.contains(#""trap":true"#))
            #expect(try await control(port, "PUT", "/devices/r1/notify", body: "{nope").0 == 400)
            _ = try await control(port, "POST", "/devices/r1/change", body: #"{"user":"quiet","add":["ip cef"]}"#)
            _ = try await control(port, "PUT", "/devices/r1/notify", body: #"{"syslog":true}"#)
            _ = try await control(port, "POST", "/devices/r1/change", body: #"{"user":"loud","add":["ip cef"]}"#)
            // Datagrams from one socket to another on loopback arrive in order: the quiet one would be first.
            _ = try await receiver.received.first(containing: "by loud on vty0")
            #expect(!receiver.received.all.contains { $0.text.contains("quiet") })
            #expect(try await control(port, "GET", "/devices/r1/notify").1.contains(#""syslog":true"#))
        }
    }

    @Test func syslogOverTCPUsesOctetCounting() async throws {
        let receiver = try TCPReceiver()
        defer { receiver.stop() }
        var config = configuration([.ciscoIOS])
        config.syslogTarget = LabNotifyTarget(host: "127.0.0.1", port: receiver.port, transport: .tcp)
        try await withLab(config) { lab, _ in
            lab.devices[0].applyChange(LabConfigChange(user: "jdoe", source: "10.1.1.5", add: ["ip cef"]))
            lab.devices[0].applyChange(LabConfigChange(user: "ann", add: ["ip cef"]))
            try await receiver.received.stream(containing: "by ann on vty0")
            // Two frames, each `LEN SP MSG` with LEN the byte count of MSG, nothing between them.
            var rest = Substring(receiver.stream)
            var messages: [String] = []
            while let space = rest.firstIndex(of: " "), let length = Int(rest[..<space]) {
                let body = rest[rest.index(after: space)...].utf8.prefix(length)
                messages.append(String(decoding: body, as: UTF8.self))
                rest = Substring(rest[rest.index(after: space)...].utf8.dropFirst(length))
            }
            #expect(rest.isEmpty)
            #expect(messages.count == 2)
            #expect(messages.first?.hasSuffix("%SYS-5-CONFIG_I: Configured from console by jdoe on vty0 (10.1.1.5)")
                == true)
            #expect(messages.last?.hasSuffix("%SYS-5-CONFIG_I: Configured from console by ann on vty0") == true)
        }
    }
}
