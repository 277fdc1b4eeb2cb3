import Foundation

/// Where a listener binds: an address and a port (`0.0.0.0:5514`, `[::]:6514`, or a bare port for all IPv4
/// addresses).
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address to bind, without brackets (`0.0.0.0`, `::`, `127.0.0.1`).
    public var host: String
    /// The port; 0 lets the system pick a free one (tests).
    public var port: Int

    /// An address to bind.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`, `[IPV6]:PORT` or `PORT`; the host must be an IP address. Nil when malformed.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let hostPart: Substring
        let portPart: Substring
        if let port = Int(trimmed) {
            guard (0...65535).contains(port) else { return nil }
            self.init(host: "0.0.0.0", port: port)
            return
        } else if trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]") {
            hostPart = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
            let rest = trimmed[trimmed.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portPart = rest.dropFirst()
        } else if let colon = trimmed.lastIndex(of: ":"), !trimmed[..<colon].contains(":") {
            hostPart = trimmed[..<colon]
            portPart = trimmed[trimmed.index(after: colon)...]
        } else {
            return nil
        }
        guard let address = IPAddress(String(hostPart)), let port = Int(portPart), (0...65535).contains(port) else {
            return nil
        }
        self.init(host: address.description, port: port)
    }

    /// `0.0.0.0:5514`, `[::]:6514`.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
