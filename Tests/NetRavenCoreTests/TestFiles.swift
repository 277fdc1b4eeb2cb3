import NetRavenCore
import NetRavenTestSupport

/// The repository's `rules/` directory.
let repositoryRules = PackagePaths.rules

/// A temporary directory holding an inventory and credentials, for tests of one section of netraven.yaml: each
/// test writes netraven.yaml with the section and loads it the way the agent does.
struct SectionFixture {
    let directory: TemporaryDirectory

    /// One cisco_ios device `r1` in group `default`, unless `inventory` says otherwise.
    init(
        inventory: String = "defaults: {credentials: lab, platform: cisco_ios}\ndevices:\n  - {name: r1, host: 10.0.0.1}\n"
    ) throws {
        directory = try TemporaryDirectory()
        try directory.write("inventory.yaml", inventory)
        try directory.write("credentials.yaml", "credentials:\n  lab: {username: admin, password: pw-x}\n")
    }

    /// Loads netraven.yaml made of the required keys and `section`.
    func load(_ section: String, environment: [String: String] = [:]) throws -> Configuration {
        let main = try directory.write(
            "netraven.yaml", "state_dir: state\ninventory: inventory.yaml\ncredentials: credentials.yaml\n" + section)
        return try ConfigurationLoader(rulesDirectoryOverride: repositoryRules, environment: environment).load(path: main)
    }

    /// `line:column<separator>message` for each problem; empty when the file loads.
    func problems(_ section: String, separator: String = ": ") -> [String] {
        do {
            _ = try load(section)
            return []
        } catch let error as DiagnosticError {
            return error.diagnostics.map { "\($0.line):\($0.column)\(separator)\($0.message)" }
        } catch {
            return ["\(error)"]
        }
    }
}
