/// The few facts the archive needs from a remote URL, parsed without Foundation's URL (which rejects scp-like
/// `user@host:path` forms).
enum RemoteURL {
    /// `host:port` for SSH URLs (`ssh://[user@]host[:port]/path`, `[user@]host:path`), used as the known-hosts key.
    static func sshEndpoint(_ url: String) -> String? {
        var rest: Substring
        var isScpLike = false
        if let range = url.range(of: "://") {
            let scheme = url[..<range.lowerBound].lowercased()
            guard scheme == "ssh" || scheme == "ssh+git" || scheme == "git+ssh" else { return nil }
            rest = url[range.upperBound...]
        } else {
            guard url.contains(":"), !url.hasPrefix("/") else { return nil }
            rest = Substring(url)
            isScpLike = true
        }
        if let at = rest.firstIndex(of: "@"), rest[..<at].firstIndex(of: "/") == nil {
            rest = rest[rest.index(after: at)...]
        }
        var host: Substring
        var port = "22"
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            host = rest[rest.index(after: rest.startIndex)..<close]
            rest = rest[rest.index(after: close)...]
            if !isScpLike, rest.hasPrefix(":") {
                port = String(rest.dropFirst().prefix { $0.isNumber })
            }
        } else if isScpLike {
            host = rest.prefix { $0 != ":" }
        } else {
            let authority = rest.prefix { $0 != "/" }
            if let colon = authority.lastIndex(of: ":") {
                host = authority[..<colon]
                let digits = authority[authority.index(after: colon)...]
                if !digits.isEmpty { port = String(digits) }
            } else {
                host = authority
            }
        }
        guard !host.isEmpty, !port.isEmpty else { return nil }
        return "\(host.lowercased()):\(port)"
    }

    /// True for `https://` URLs, the only transport that goes through libgit2's TLS stack.
    static func isHTTPS(_ url: String) -> Bool {
        url.prefix(8).lowercased() == "https://"
    }

    /// The URL with any `user:password@` password replaced by `<redacted>`.
    static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let authorityStart = schemeEnd.upperBound
        let authorityEnd = url[authorityStart...].firstIndex(of: "/") ?? url.endIndex
        let authority = url[authorityStart..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return url }
        let userInfo = authority[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<authorityStart]) + userInfo[..<colon] + ":<redacted>" + url[at...]
    }
}
