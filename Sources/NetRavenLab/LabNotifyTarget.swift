/// Where the lab sends syslog messages or traps: `HOST:PORT[/udp|/tcp]` (`[v6]:PORT` for IPv6 literals).
public struct LabNotifyTarget: Sendable, Equatable, CustomStringConvertible {
    /// The transport of a target.
    public enum Transport: String, Sendable {
        /// One datagram per message (syslog RFC 3164 style; all traps).
        case udp
        /// A TCP stream with RFC 6587 octet counting (`LEN SP MSG`), syslog only.
        case tcp
    }

    /// Host name or address.
    public var host: String
    /// Port.
    public var port: Int
    /// Transport.
    public var transport: Transport

    /// A target.
    public init(host: String, port: Int, transport: Transport = .udp) {
        self.host = host
        self.port = port
        self.transport = transport
    }

    /// Parses `HOST:PORT[/udp|/tcp]`; `option` names the command-line option in the error message.
    public init(parsing text: String, option: String, allowTCP: Bool = true) throws {
        var rest = Substring(text.trimmingSpaces())
        var transport = Transport.udp
        if let slash = rest.lastIndex(of: "/") {
            let name = rest[rest.index(after: slash)...].lowercased()
            guard let t = Transport(rawValue: name) else {
                throw LabError(.invalidArgument, "\(option): unknown transport '\(name)' in '\(text)' (udp or tcp)")
            }
            transport = t
            rest = rest[..<slash]
        }
        guard allowTCP || transport == .udp else {
            throw LabError(.invalidArgument, "\(option): only udp is supported ('\(text)')")
        }
        guard let colon = rest.lastIndex(of: ":") else {
            throw LabError(.invalidArgument, "\(option): expected HOST:PORT, got '\(text)'")
        }
        var host = String(rest[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw LabError(.invalidArgument, "\(option): missing host in '\(text)'") }
        guard let port = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(port) else {
            throw LabError(.invalidArgument, "\(option): port must be 1-65535 in '\(text)'")
        }
        self.init(host: host, port: port, transport: transport)
    }

    /// `HOST:PORT/udp`.
    public var description: String {
        (host.contains(":") ? "[\(host)]" : host) + ":\(port)/\(transport.rawValue)"
    }
}

/// Which notifications a device sends when its configuration changes.
public struct LabNotifySettings: Codable, Sendable, Equatable {
    /// Send syslog messages (to the lab's syslog target, if any).
    public var syslog: Bool
    /// Send SNMP traps (to the lab's trap target, if any).
    public var trap: Bool

    /// Settings.
    public init(syslog: Bool = true, trap: Bool = true) {
        self.syslog = syslog
        self.trap = trap
    }

    /// Parses `--notify` values: a comma-separated list of `syslog`, `trap`, or `none`.
    public init(parsing text: String) throws {
        self.init(syslog: false, trap: false)
        for word in text.split(separator: ",").map({ $0.trimmingSpaces().lowercased() }) {
            switch word {
            case "syslog": syslog = true
            case "trap", "traps": trap = true
            case "none", "": break
            default: throw LabError(.invalidArgument, "--notify: unknown kind '\(word)' (syslog, trap or none)")
            }
        }
    }
}

/// A partial update of ``LabNotifySettings`` (`PUT /devices/{name}/notify`): absent fields keep their value.
struct LabNotifyUpdate: Codable {
    var syslog: Bool?
    var trap: Bool?

    func applied(to settings: LabNotifySettings) -> LabNotifySettings {
        LabNotifySettings(syslog: syslog ?? settings.syslog, trap: trap ?? settings.trap)
    }
}
