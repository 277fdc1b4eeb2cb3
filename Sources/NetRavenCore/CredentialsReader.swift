import Foundation

/// Reads a credentials file: named sets of username, passwords, key and enable secret.
struct CredentialsReader {
    let path: String
    let diagnostics: DiagnosticCollector
    let environment: [String: String]
    let resolve: (String) -> String

    func read() -> ([String: CredentialSet], [String: SourceLocation]) {
        guard let yaml = YAMLFile.load(path: path, diagnostics: diagnostics) else { return ([:], [:]) }
        guard let root = yaml.root else {
            diagnostics.add(Diagnostic(file: path, line: 0, column: 0, message: "file is empty"))
            return ([:], [:])
        }
        let reader = NodeReader(node: root, file: path, diagnostics: diagnostics, path: "")
        guard let top = reader.mapping(allowed: ["credentials"]), let sets = top.required("credentials")?.namedEntries()
        else { return ([:], [:]) }
        var result: [String: CredentialSet] = [:]
        var locations: [String: SourceLocation] = [:]
        for (name, keyLocation, node) in sets {
            let keys: Set<String> = ["username", "password", "passwords", "private_key", "passphrase", "enable"]
            guard let map = node.mapping(allowed: keys), let username = map.string("username", required: true) else {
                continue
            }
            var passwords: [Secret] = []
            if let one = map["password"] { passwords += secret(one).map { [$0] } ?? [] }
            if let many = map["passwords"], let items = many.sequence() {
                passwords += items.compactMap(secret)
            }
            if map.has("password") && map.has("passwords") {
                map["password"]?.error("use either password or passwords, not both")
            }
            let key = map.string("private_key").map(resolve)
            if let key, !FileManager.default.isReadableFile(atPath: key) {
                map["private_key"]?.error("private key \(key) cannot be read")
            }
            if !map.has("password") && !map.has("passwords") && !map.has("private_key") {
                node.error("credential set '\(name)' needs a password, passwords or private_key")
            }
            result[name] = CredentialSet(
                name: name, username: username, passwords: passwords, privateKeyPath: key,
                passphrase: map["passphrase"].flatMap(secret), enable: map["enable"].flatMap(secret))
            locations[name] = keyLocation
        }
        return (result, locations)
    }

    func secret(_ node: NodeReader) -> Secret? {
        node.secret(environment: environment)
    }
}
