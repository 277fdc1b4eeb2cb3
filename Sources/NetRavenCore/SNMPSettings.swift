import Foundation

/// The `snmp:` section of `netraven.yaml`: where the trap receiver listens and whom it believes.
public struct SNMPSettings: Sendable {
    /// The address to bind (`0.0.0.0`, `::`, `127.0.0.1`).
    public var listenAddress: String
    /// The UDP port (162 needs CAP_NET_BIND_SERVICE; the example uses 1162; 0 picks a free one, for tests).
    public var listenPort: Int
    /// Accepted v1/v2c communities, each with a name for logs (`communities[0]`): the value is a secret.
    public var communities: [SNMPCommunity]
    /// SNMPv3 USM users.
    public var users: [SNMPUser]
    /// Addresses that forward other devices' traps (their traps resolve by the agent address or varbinds).
    public var relays: [String]

    public init(
        listenAddress: String = "0.0.0.0", listenPort: Int = 1162, communities: [SNMPCommunity] = [],
        users: [SNMPUser] = [], relays: [String] = []
    ) {
        self.listenAddress = listenAddress
        self.listenPort = listenPort
        self.communities = communities
        self.users = users
        self.relays = relays
    }

    /// `listen` as net-snmp writes a transport address (`udp:0.0.0.0:1162`, `udp6:[::]:1162`).
    public var transportSpecifier: String {
        listenAddress.contains(":") ? "udp6:[\(listenAddress)]:\(listenPort)" : "udp:\(listenAddress):\(listenPort)"
    }
}

/// One accepted community: its name in logs and counters, and the secret itself.
public struct SNMPCommunity: Sendable, CustomStringConvertible {
    /// `communities[N]`, or the name given in configuration; safe to log.
    public var name: String
    public var secret: Secret

    public init(name: String, secret: Secret) {
        self.name = name
        self.secret = secret
    }

    public var description: String { name }
}

/// An SNMPv3 USM user the receiver accepts traps and informs from.
public struct SNMPUser: Sendable, CustomStringConvertible {
    /// USM authentication protocols, by the names net-snmp's `createUser` takes.
    public enum AuthProtocol: String, Sendable, CaseIterable {
        case md5 = "MD5"
        case sha = "SHA"
        case sha224 = "SHA-224"
        case sha256 = "SHA-256"
        case sha384 = "SHA-384"
        case sha512 = "SHA-512"
    }

    /// USM privacy protocols, by the names net-snmp's `createUser` takes.
    public enum PrivacyProtocol: String, Sendable, CaseIterable {
        case des = "DES"
        case aes = "AES"
        case aes192 = "AES-192"
        case aes256 = "AES-256"
    }

    public var name: String
    public var authProtocol: AuthProtocol
    public var authSecret: Secret
    public var privacyProtocol: PrivacyProtocol?
    public var privacySecret: Secret?
    /// The engine id of the agent that sends traps as this user (v3 traps are keyed to the SENDER's engine id);
    /// nil = our own engine id, which is what informs use.
    public var engineID: [UInt8]?

    public init(
        name: String, authProtocol: AuthProtocol, authSecret: Secret, privacyProtocol: PrivacyProtocol? = nil,
        privacySecret: Secret? = nil, engineID: [UInt8]? = nil
    ) {
        self.name = name
        self.authProtocol = authProtocol
        self.authSecret = authSecret
        self.privacyProtocol = privacyProtocol
        self.privacySecret = privacySecret
        self.engineID = engineID
    }

    /// The engine id as hex (`80001f8880...`), for messages and net-snmp's `-e`.
    public var engineIDHex: String? {
        engineID.map { $0.map { String(format: "%02x", $0) }.joined() }
    }

    public var description: String {
        "\(name) (\(authProtocol.rawValue)\(privacyProtocol.map { "/\($0.rawValue)" } ?? ""))"
            + (engineIDHex.map { " engine \($0)" } ?? "")
    }

    /// Parses an engine id written as hex, with or without `0x` and `:` separators; 5 to 32 octets (RFC 3411).
    public static func parseEngineID(_ text: String) -> [UInt8]? {
        var hex = text.lowercased().replacingOccurrences(of: ":", with: "")
        if hex.hasPrefix("0x") { hex.removeFirst(2) }
        guard hex.count % 2 == 0, (10...64).contains(hex.count) else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}

/// Reads the `snmp:` section with file:line:column diagnostics; secrets resolved like the credentials file's.
struct SNMPSettingsReader {
    let environment: [String: String]

    /// USM refuses shorter passphrases (RFC 3414 section 11.2 asks for at least 8 characters).
    static let minimumPassphraseLength = 8

    func read(_ node: NodeReader) -> SNMPSettings? {
        guard let map = node.mapping(allowed: ["listen", "communities", "users", "relays"]) else { return nil }
        var settings = SNMPSettings()
        if let listenNode = map["listen"], let listen = listenNode.string() {
            if let (address, port) = Self.parseListen(listen) {
                settings.listenAddress = address
                settings.listenPort = port
            } else {
                listenNode.error(
                    "snmp.listen must be ADDRESS:PORT such as \"0.0.0.0:1162\" or \"[::]:1162\", found '\(listen)'")
            }
        }
        for (index, item) in (map["communities"]?.sequence() ?? []).enumerated() {
            if let secret = secret(item) {
                settings.communities.append(SNMPCommunity(name: "communities[\(index)]", secret: secret))
            }
        }
        var names: [String: SourceLocation] = [:]
        for item in map["users"]?.sequence() ?? [] {
            guard let user = readUser(item) else { continue }
            let key = user.name + "@" + (user.engineIDHex ?? "local")
            if let previous = names[key] {
                item.error(
                    "SNMP user '\(user.name)' is defined twice for the same engine id (first at line \(previous.line))")
                continue
            }
            names[key] = item.location
            settings.users.append(user)
        }
        for item in map["relays"]?.sequence() ?? [] {
            guard let address = item.string() else { continue }
            if Self.isIPAddress(address) {
                settings.relays.append(address)
            } else {
                item.error("\(item.path) must be an IP address, found '\(address)'")
            }
        }
        return settings
    }

    func readUser(_ node: NodeReader) -> SNMPUser? {
        let keys: Set<String> = ["name", "auth_protocol", "auth_secret", "priv_protocol", "priv_secret", "engine_id"]
        guard let map = node.mapping(allowed: keys) else { return nil }
        let name = map.string("name", required: true)
        var authProtocol: SNMPUser.AuthProtocol?
        if let protocolNode = map.required("auth_protocol"), let text = protocolNode.string() {
            authProtocol =
                SNMPUser.AuthProtocol.allCases.first { $0.rawValue.caseInsensitiveCompare(text) == .orderedSame }
                ?? (text.uppercased() == "SHA1" || text.uppercased() == "SHA-1" ? .sha : nil)
            if authProtocol == nil {
                let known = SNMPUser.AuthProtocol.allCases.map(\.rawValue).joined(separator: ", ")
                protocolNode.error("\(protocolNode.path) must be one of \(known), found '\(text)'")
            }
        }
        let authSecret = map.required("auth_secret").flatMap { passphrase($0) }
        var privacyProtocol: SNMPUser.PrivacyProtocol?
        if let protocolNode = map["priv_protocol"], let text = protocolNode.string() {
            privacyProtocol =
                SNMPUser.PrivacyProtocol.allCases.first {
                    $0.rawValue.caseInsensitiveCompare(text) == .orderedSame
                } ?? (text.uppercased() == "AES-128" || text.uppercased() == "AES128" ? .aes : nil)
            if privacyProtocol == nil {
                let known = SNMPUser.PrivacyProtocol.allCases.map(\.rawValue).joined(separator: ", ")
                protocolNode.error("\(protocolNode.path) must be one of \(known), found '\(text)'")
            }
        }
        let privacySecret = map["priv_secret"].flatMap { passphrase($0) }
        if map.has("priv_protocol") != map.has("priv_secret") {
            node.error("an SNMP user needs both priv_protocol and priv_secret, or neither (authNoPriv)")
        }
        var engineID: [UInt8]?
        if let engineNode = map["engine_id"], let text = engineNode.string() {
            engineID = SNMPUser.parseEngineID(text)
            if engineID == nil {
                engineNode.error("\(engineNode.path) must be 5 to 32 octets in hex (0x80001f8880...), found '\(text)'")
            }
        }
        guard let name, let authProtocol, let authSecret else { return nil }
        if map.has("priv_protocol") && (privacyProtocol == nil || privacySecret == nil) { return nil }
        return SNMPUser(
            name: name, authProtocol: authProtocol, authSecret: authSecret, privacyProtocol: privacyProtocol,
            privacySecret: privacySecret, engineID: engineID)
    }

    func secret(_ node: NodeReader) -> Secret? {
        node.secret(environment: environment)
    }

    func passphrase(_ node: NodeReader) -> Secret? {
        guard let value = secret(node) else { return nil }
        guard value.value.count >= Self.minimumPassphraseLength else {
            node.error(
                "\(node.path) must be at least \(Self.minimumPassphraseLength) characters (USM refuses shorter ones)")
            return nil
        }
        return value
    }

    /// `host:port` or `[v6]:port`.
    static func parseListen(_ text: String) -> (String, Int)? {
        let address: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return nil
            }
            address = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            address = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let port = Int(portText), (0...65535).contains(port), isIPAddress(String(address)) else { return nil }
        return (String(address), port)
    }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
