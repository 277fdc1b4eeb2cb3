import NetRavenCore
import NetRavenTestSupport
import Testing

/// The `syslog:` section of netraven.yaml and device aliases, read with file:line:column errors.
@Suite struct SyslogSettingsTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
        try directory.write("credentials.yaml", "credentials:\n  lab:\n    username: admin\n    passwords: [x]\n")
        try directory.write("cert.pem", "certificate")
        try directory.write("key.pem", "key")
    }

    static let inventory = """
        defaults: {credentials: lab, platform: cisco_ios}
        devices:
          - {name: r1, host: 10.0.0.1, aliases: [r1.example.net, 10.9.9.1]}
          - {name: r2, host: 10.0.0.2}
        """

    func load(_ syslog: String, inventory: String = inventory) throws -> Configuration {
        try directory.write("inventory.yaml", inventory)
        let main = try directory.write(
            "netraven.yaml", "state_dir: state\ninventory: inventory.yaml\ncredentials: credentials.yaml\n" + syslog)
        return try ConfigurationLoader(rulesDirectoryOverride: repositoryRules, environment: [:]).load(path: main)
    }

    func problems(_ syslog: String, inventory: String = inventory) -> [String] {
        do {
            _ = try load(syslog, inventory: inventory)
            return []
        } catch let error as DiagnosticError {
            return error.diagnostics.map { "\($0.line):\($0.column): \($0.message)" }
        } catch {
            return ["\(error)"]
        }
    }

    @Test func noSectionMeansNoListener() throws {
        #expect(try !load("").syslog.isEnabled)
    }

    @Test func fullSection() throws {
        let syslog = try load(
            """
            syslog:
              udp: "0.0.0.0:5514"
              tcp: "[::]:5514"
              tls: {listen: 6514, certificate: cert.pem, key: key.pem}
              relays: [192.0.2.50, 10.20.0.0/16, "2001:db8::/48"]
              max_message_bytes: 8192
              max_connections: 32
              receive_buffer_bytes: 16777216
              idle_timeout: 10m
            """
        ).syslog
        #expect(syslog.udp == ListenAddress(host: "0.0.0.0", port: 5514))
        #expect(syslog.tcp == ListenAddress(host: "::", port: 5514))
        #expect(syslog.tls?.listen == ListenAddress(host: "0.0.0.0", port: 6514))
        #expect(syslog.tls?.certificatePath == directory.path + "/cert.pem")
        #expect(syslog.tls?.clientCAPath == nil)
        #expect(syslog.relays.map(\.description) == ["192.0.2.50", "10.20.0.0/16", "2001:db8::/48"])
        #expect(syslog.maxMessageBytes == 8192)
        #expect(syslog.maxConnections == 32)
        #expect(syslog.receiveBufferBytes == 16_777_216)
        #expect(syslog.idleTimeout == .seconds(600))
    }

    @Test func errorsPointAtTheValue() {
        let found = problems(
            """
            syslog:
              udp: "localhost:5514"
              tcp: "0.0.0.0:70000"
              tls: {listen: 6514, certificate: missing.pem}
              relays: [192.0.2.50, 10.0.0.0/40]
              max_message_bytes: 100
              bogus: 1
            """)
        #expect(found.contains { $0.hasPrefix("5:8: syslog.udp must be ADDRESS:PORT") })
        #expect(found.contains { $0.hasPrefix("6:8: syslog.tcp must be ADDRESS:PORT") })
        #expect(found.contains { $0.hasPrefix("7:8: missing required key 'key' in syslog.tls") })
        #expect(found.contains { $0.contains("7:") && $0.contains("syslog.tls.certificate: cannot read") })
        #expect(found.contains { $0.hasPrefix("8:24: syslog.relays[1] must be an IP address or a CIDR prefix") })
        #expect(found.contains { $0.hasPrefix("9:22: syslog.max_message_bytes must be between 480") })
        #expect(found.contains { $0.hasPrefix("10:3: unknown key 'bogus'") })
    }

    @Test func aliasesAreReadAndClashesReported() throws {
        let devices = try load("").devices
        #expect(devices.first?.aliases == ["r1.example.net", "10.9.9.1"])
        let found = problems(
            "",
            inventory: """
                defaults: {credentials: lab, platform: cisco_ios}
                devices:
                  - {name: r1, host: 10.0.0.1, aliases: [core]}
                  - {name: r2, host: 10.0.0.2, aliases: [R1]}
                  - {name: core, host: 10.0.0.3}
                """)
        #expect(found.contains { $0.hasPrefix("4:41: alias 'R1' of device 'r2' already names device 'r1'") })
        #expect(found.contains { $0.hasPrefix("5:12: device name 'core' is already an alias of device 'r1'") })
    }
}
