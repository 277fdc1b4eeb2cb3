import Foundation
import NetRavenTestSupport
import Testing

@testable import NetRavenCore

/// `archive.remote.ca_file`: loaded relative to the configuration file, checked at its own line and column.
@Suite struct RemoteCAFileTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
        try directory.write("inventory.yaml", ConfigurationLoaderTests.validInventory)
        try directory.write("credentials.yaml", ConfigurationLoaderTests.validCredentials)
    }

    private func load(remote: String) throws -> Configuration {
        let main = """
            state_dir: state
            inventory: inventory.yaml
            credentials: credentials.yaml
            archive:
              remote:
            \(remote)
            """
        let path = try directory.write("netraven.yaml", main)
        return try ConfigurationLoader(rulesDirectoryOverride: repositoryRules, environment: [:]).load(path: path)
    }

    private func problems(remote: String) -> [String] {
        do {
            _ = try load(remote: remote)
            return []
        } catch let error as DiagnosticError {
            return error.diagnostics.map { "\($0.line):\($0.column) \($0.message)" }
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func aReadableCAFileIsResolvedNextToTheConfiguration() throws {
        try directory.write("git-ca.pem", "-----BEGIN CERTIFICATE-----\n")
        let configuration = try load(
            remote: "    url: https://git.example.net/netops/archive.git\n    ca_file: git-ca.pem")
        #expect(configuration.settings.archive.remote?.caFile == directory.path + "/git-ca.pem")
        let plain = try load(remote: "    url: https://git.example.net/netops/archive.git")
        #expect(plain.settings.archive.remote?.caFile == nil)
    }

    @Test func aMissingCAFileIsReportedAtItsLine() {
        let found = problems(remote: "    url: https://git.example.net/a.git\n    ca_file: missing-ca.pem")
        #expect(found.contains { $0.hasPrefix("7:14 ") && $0.contains("cannot read") && $0.contains("missing-ca.pem") },
                "\(found)")
    }

    @Test func aCAFileOnANonHTTPSRemoteIsAnError() throws {
        try directory.write("git-ca.pem", "-----BEGIN CERTIFICATE-----\n")
        let found = problems(remote: "    url: ssh://git@git.example.net/a.git\n    ca_file: git-ca.pem")
        #expect(found.contains { $0.hasPrefix("7:14 ca_file applies only to https:// remotes") }, "\(found)")
    }
}
