import Foundation
import NetRavenTestSupport
import Testing

@testable import NetRavenCore

@Suite struct ConfigurationLoaderTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// Writes a main file naming `inventory.yaml` and `credentials.yaml` and loads it.
    func load(
        main: String? = nil, inventory: String, credentials: String = validCredentials, environment: [String: String] = [:]
    ) throws -> Configuration {
        let mainFile = try directory.write(
            "netraven.yaml", main ?? "state_dir: state\ninventory: inventory.yaml\ncredentials: credentials.yaml\n")
        try directory.write("inventory.yaml", inventory)
        try directory.write("credentials.yaml", credentials)
        return try ConfigurationLoader(rulesDirectoryOverride: repositoryRules, environment: environment).load(path: mainFile)
    }

    /// The diagnostics a broken setup produces.
    func problems(
        main: String? = nil, inventory: String = validInventory, credentials: String = validCredentials
    ) -> [Diagnostic] {
        do {
            _ = try load(main: main, inventory: inventory, credentials: credentials)
            return []
        } catch let error as DiagnosticError {
            return error.diagnostics
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    static let validCredentials = """
        credentials:
          lab:
            username: admin
            passwords: ["first-pass", "second-pass"]
            enable: enable-pass
        """
    static let validInventory = """
        defaults:
          credentials: lab
        groups:
          core:
            platform: cisco_ios
            region: emea
        devices:
          - name: r1
            host: 10.0.0.1
            group: core
            tags: [edge, paris]
          - name: r2
            host: 10.0.0.2
            port: 2222
            platform: juniper_junos
            group: core
            host_key_policy: strict
        """

    @Test func loadsValidConfigurationWithLayeredSettings() throws {
        let configuration = try load(inventory: Self.validInventory)
        #expect(configuration.devices.map(\.name) == ["r1", "r2"])
        let r1 = try #require(configuration.device(named: "r1"))
        #expect(r1.platform == "cisco_ios")
        #expect(r1.port == 22)
        #expect(r1.region == "emea")
        #expect(r1.credentials == ["lab"])
        #expect(r1.tags == ["edge", "paris"])
        let r2 = try #require(configuration.device(named: "r2"))
        #expect(r2.platform == "juniper_junos")
        #expect(r2.port == 2222)
        #expect(r2.hostKeyPolicy == .strict)
        #expect(configuration.credentials["lab"]?.passwords.map(\.value) == ["first-pass", "second-pass"])
        #expect(configuration.settings.stateDirectory == directory.path + "/state")
        #expect(configuration.select(["edge"]).devices.map(\.name) == ["r1"])
        #expect(configuration.select(["core", "r1"]).devices.map(\.name) == ["r1", "r2"])
        #expect(configuration.select(["nope"]).unmatched == ["nope"])
    }

    @Test func reportsEveryInventoryProblemWithItsLine() {
        let inventory = """
            devices:
              - name: r1
                host: 10.0.0.1
                platform: cisco_ios
                credentials: lab
                colour: blue
              - name: r1
                host: 10.0.0.2
                platform: cisco_ios
                credentials: lab
              - name: r3
                host: 10.0.0.3
                platform: cisco_iox
                credentials: nobody
                port: seventy
              - name: ../escape
                host: 10.0.0.4
                platform: cisco_ios
                credentials: lab
              - name: r5
                platform: cisco_ios
                credentials: lab
            """
        let found = problems(inventory: inventory).map { "\($0.line):\($0.column) \($0.message)" }
        #expect(found.contains { $0.hasPrefix("6:5 unknown key 'colour'") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("7:11 duplicate device 'r1' (first at line 2)") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("13:15 unknown platform 'cisco_iox'") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("14:18 unknown credential set 'nobody'") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("15:11 devices[2].port must be a whole number, found 'seventy'") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("16:11 device '../escape': name '../escape'") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("20:5 missing required key 'host'") }, "\(found)")
        #expect(found.count == 7, "\(found)")
    }

    @Test func diagnosticsPrintAsFileLineColumn() {
        let found = problems(inventory: "devices:\n  - name: r1\n    host: h\n    platform: cisco_ios\n    credentials: lab\n    bad: 1\n")
        #expect(found.map(\.description) == [
            "\(directory.path)/inventory.yaml:6:5: unknown key 'bad' in devices[0] (known keys: aliases, credentials, "
                + "group, host, host_key_policy, legacy_algorithms, name, platform, port, region, site, tags)"
        ])
    }

    @Test func reportsYAMLSyntaxErrorsWithPosition() {
        let found = problems(inventory: "devices:\n  - name: r1\n    host: [unclosed\n")
        #expect(found.count == 1)
        #expect(found.first?.line == 4 || found.first?.line == 3, "\(found)")
        #expect(found.first?.message.hasPrefix("invalid YAML") == true)
    }

    @Test func readsDebounceSettingsAndChecksThem() throws {
        let base = "state_dir: state\ninventory: inventory.yaml\ncredentials: credentials.yaml\n"
        let good = try load(
            main: base + "collection: {concurrency: 3}\ndebounce: {quiet: 2s, max_delay: 1m, recheck_delay: 5s}\n",
            inventory: Self.validInventory)
        #expect(good.settings.debounce == DebounceSettings(
            quietPeriod: .seconds(2), maximumDelay: .seconds(60), recheckDelay: .seconds(5), concurrency: 3))
        let found = problems(main: base + "debounce:\n  quiet: 30s\n  max_delay: 10s\n  wait: 1s\n")
            .map { "\($0.line):\($0.column) \($0.message)" }
        #expect(found.contains { $0.hasPrefix("7:3 unknown key 'wait'") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("6:14 debounce.max_delay") }, "\(found)")
    }

    @Test func reportsMainFileProblems() {
        let main = """
            state_dir: state
            inventory: inventory.yaml
            credentials: credentials.yaml
            archive:
              path_template: "{group}/{hostname}.cfg"
              remote:
                url: ftp://example
            collection:
              concurrency: 0
              connect_timeout: soon
            logging:
              level: loud
            """
        let found = problems(main: main).map { "\($0.line):\($0.column) \($0.message)" }
        #expect(found.contains { $0.hasPrefix("5:18 unknown variable {hostname}") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("7:10 remote url must start with") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("9:16 collection.concurrency must be between 1 and 1024") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("10:20 collection.connect_timeout must be a duration") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("12:10 logging.level must be one of") }, "\(found)")
    }

    @Test func refusesCredentialsReadableByOthers() throws {
        try directory.write("netraven.yaml", "state_dir: s\ninventory: inventory.yaml\ncredentials: credentials.yaml\n")
        try directory.write("inventory.yaml", Self.validInventory)
        try directory.write("credentials.yaml", Self.validCredentials, mode: 0o644)
        let loader = ConfigurationLoader(rulesDirectoryOverride: repositoryRules, environment: [:])
        #expect(throws: DiagnosticError.self) { try loader.load(path: directory.path + "/netraven.yaml") }
        do {
            _ = try loader.load(path: directory.path + "/netraven.yaml")
        } catch let error as DiagnosticError {
            #expect(error.description.contains("is readable by others (mode 644)"))
            #expect(error.description.contains("chmod 600"))
        } catch {
            Issue.record("\(error)")
        }
        try directory.write(
            "netraven.yaml",
            "state_dir: s\ninventory: inventory.yaml\ncredentials: credentials.yaml\nallow_readable_credentials: true\n")
        #expect(throws: Never.self) { try loader.load(path: directory.path + "/netraven.yaml") }
    }

    @Test func resolvesSecretReferencesAndReportsMissingOnes() throws {
        let secretFile = try directory.write("pw.txt", "from-a-file\n")
        let credentials = """
            credentials:
              lab:
                username: admin
                passwords: ["env:LAB_PW", "file:\(secretFile)"]
                enable: env:MISSING_VAR
            """
        do {
            _ = try load(inventory: Self.validInventory, credentials: credentials, environment: ["LAB_PW": "from-env"])
            Issue.record("expected a diagnostic for MISSING_VAR")
        } catch let error as DiagnosticError {
            #expect(error.diagnostics.count == 1)
            #expect(error.diagnostics.first?.line == 5)
            #expect(error.description.contains("environment variable MISSING_VAR is not set"))
        }
        let fixed = credentials.replacingOccurrences(of: "env:MISSING_VAR", with: "literal-enable")
        let configuration = try load(inventory: Self.validInventory, credentials: fixed, environment: ["LAB_PW": "from-env"])
        #expect(configuration.credentials["lab"]?.passwords.map(\.value) == ["from-env", "from-a-file"])
    }

    @Test func secretsNeverPrintThemselves() throws {
        let secret = Secret("hunter2-very-secret")
        #expect("\(secret)" == "<redacted>")
        #expect(SecretRedactor.shared.redact("login with hunter2-very-secret failed") == "login with <redacted> failed")
    }

    @Test func detectsTwoDevicesStoredAtTheSamePath() {
        let main = """
            state_dir: state
            inventory: inventory.yaml
            credentials: credentials.yaml
            archive:
              path_template: "{site}.cfg-{name}"
            """
        let inventory = """
            defaults: {platform: cisco_ios, credentials: lab, site: par}
            devices:
              - {name: r1, host: a}
              - {name: r2, host: b, site: null}
            """
        let found = problems(main: main, inventory: inventory).map(\.message)
        #expect(found.contains { $0.contains("device 'r2' has no site, which the path template") }, "\(found)")
    }
}
