import Foundation

/// The files the configuration target loads: per kind, a directory with valid companions of the fuzzed file, made
/// once per process under the temporary directory and removed at exit.
///
/// Rules directories hold only what the kind needs (the inventory's platforms and the secret sets for the
/// configuration kinds, the shared `_*.yaml` pieces and secret sets for a platform, nothing else for syslog and
/// trap rules), so one input costs a YAML parse, not the whole rules tree.
final class ConfigurationWorkspace: Sendable {
    static let shared: ConfigurationWorkspace = {
        do {
            let workspace = try ConfigurationWorkspace(rulesSource: FuzzFixture.repositoryRoot + "/rules")
            atexit { try? FileManager.default.removeItem(atPath: ConfigurationWorkspace.shared.root) }
            return workspace
        } catch {
            fatalError("fuzz workspace: \(error)")
        }
    }()

    let root: String
    var stateDirectory: String { root + "/state" }
    /// The configuration kinds' rules: the repository's platforms and secret sets.
    var rulesDirectory: String { root + "/rules" }

    static let configuration = """
        state_dir: state
        inventory: inventory.yaml
        credentials: credentials.yaml
        """
    static let inventory = """
        defaults: {credentials: lab}
        devices:
          - {name: r1, host: 192.0.2.1, platform: cisco_ios}
          - {name: r2, host: r2.example.net, platform: juniper_junos, aliases: [198.51.100.2]}
        """
    static let credentials = """
        credentials:
          lab: {username: admin, password: env:NETRAVEN_FUZZ_SECRET}
        """

    init(rulesSource: String) throws {
        root = (NSTemporaryDirectory() as NSString).appendingPathComponent("netraven-fuzz-\(getpid())")
        let files = FileManager.default
        try? files.removeItem(atPath: root)
        // Only the platforms the companion inventory uses: every platform file costs a parse and regex compiles
        // on each input, and they are not what this target fuzzes.
        try files.createDirectory(atPath: rulesDirectory + "/platforms", withIntermediateDirectories: true)
        for name in ["_cisco_like.yaml", "cisco_ios.yaml", "juniper_junos.yaml"]
        where files.fileExists(atPath: rulesSource + "/platforms/" + name) {
            try files.copyItem(
                atPath: rulesSource + "/platforms/" + name, toPath: rulesDirectory + "/platforms/" + name)
        }
        for subdirectory in ["secrets", "sensitive"] where files.fileExists(atPath: rulesSource + "/" + subdirectory) {
            try files.copyItem(atPath: rulesSource + "/" + subdirectory, toPath: rulesDirectory + "/" + subdirectory)
        }
        try files.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        for kind in ConfigurationFuzzTarget.Kind.allCases {
            let directory = self.directory(kind)
            switch kind {
            case .configuration, .inventory, .credentials:
                try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try Self.configuration.write(toFile: directory + "/netraven.yaml", atomically: false, encoding: .utf8)
                try Self.inventory.write(toFile: directory + "/inventory.yaml", atomically: false, encoding: .utf8)
                try Self.credentials.write(toFile: directory + "/credentials.yaml", atomically: false, encoding: .utf8)
                // The loader refuses credentials readable by others; created files start at 0644.
                try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: directory + "/credentials.yaml")
            case .platform:
                try files.createDirectory(atPath: directory + "/platforms", withIntermediateDirectories: true)
                // Shared pieces (`_cisco_like.yaml`) that real platform files inherit from.
                let shared = (try? files.contentsOfDirectory(atPath: rulesSource + "/platforms")) ?? []
                for name in shared where name.hasPrefix("_") {
                    try files.copyItem(
                        atPath: rulesSource + "/platforms/" + name, toPath: directory + "/platforms/" + name)
                }
                if files.fileExists(atPath: rulesSource + "/secrets") {
                    try files.copyItem(atPath: rulesSource + "/secrets", toPath: directory + "/secrets")
                }
            case .syslogRules:
                try files.createDirectory(atPath: directory + "/syslog", withIntermediateDirectories: true)
            case .trapRules:
                try files.createDirectory(atPath: directory + "/traps", withIntermediateDirectories: true)
            }
        }
    }

    /// The directory of `kind`'s scenario (a configuration directory or a rules directory).
    func directory(_ kind: ConfigurationFuzzTarget.Kind) -> String {
        "\(root)/\(kind)"
    }

    /// The `netraven.yaml` a configuration kind loads.
    func configurationFile(_ kind: ConfigurationFuzzTarget.Kind) -> String {
        directory(kind) + "/netraven.yaml"
    }

    /// Replaces `path`'s content in place: the file keeps its inode and mode (credentials must stay 0600).
    func overwrite(_ path: String, with content: [UInt8]) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var written = 0
        while written < content.count {
            let result = content[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard result > 0 else { return false }
            written += result
        }
        return true
    }

    /// The file the input is written to.
    func fuzzedFile(_ kind: ConfigurationFuzzTarget.Kind) -> String {
        let directory = self.directory(kind)
        switch kind {
        case .configuration: return directory + "/netraven.yaml"
        case .inventory: return directory + "/inventory.yaml"
        case .credentials: return directory + "/credentials.yaml"
        case .platform: return directory + "/platforms/fuzz.yaml"
        case .syslogRules: return directory + "/syslog/fuzz.yaml"
        case .trapRules: return directory + "/traps/fuzz.yaml"
        }
    }
}
