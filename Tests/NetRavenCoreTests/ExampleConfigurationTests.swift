import Foundation
import NetRavenTestSupport
import Testing

@testable import NetRavenCore

/// `config/*.example.yaml` is what people copy: it must load as shipped (secrets and key files supplied).
@Suite struct ExampleConfigurationTests {
    @Test func theShippedExamplesLoad() throws {
        let directory = try TemporaryDirectory()
        let examples = PackagePaths.root + "/config/"
        for name in ["netraven", "inventory"] {
            let text = try String(contentsOfFile: examples + name + ".example.yaml", encoding: .utf8)
            try directory.write(name + ".yaml", text)
        }
        // The credentials example points at files under /etc/netraven: point them at the test's directory.
        let credentials = try String(contentsOfFile: examples + "credentials.example.yaml", encoding: .utf8)
            .replacingOccurrences(of: "/etc/netraven/", with: directory.path + "/")
        let credentialsPath = try directory.write("credentials.yaml", credentials)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: credentialsPath)
        for file in ["netops.old-password", "id_ed25519", "id_ed25519.passphrase"] {
            try directory.write(file, "example-\(file)\n")
        }
        let environment = ["NETRAVEN_NETOPS_PASSWORD": "example-pw", "NETRAVEN_ENABLE_SECRET": "example-enable"]
        let configuration = try ConfigurationLoader(
            stateDirectoryOverride: directory.path + "/state", rulesDirectoryOverride: PackagePaths.rules,
            environment: environment
        ).load(path: directory.path + "/netraven.yaml")
        #expect(!configuration.devices.isEmpty)
        #expect(configuration.verdict.windows.map(\.name) == ["tuesday-night"])
    }
}
