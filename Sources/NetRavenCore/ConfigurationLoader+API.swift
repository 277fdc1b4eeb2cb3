extension ConfigurationLoader {
    /// Reads the `api:` section; every problem is reported at its own line and column.
    func readAPI(_ node: NodeReader, resolve: (String) -> String) -> APISettings? {
        if node.isNull { return nil }
        var api = APISettings()
        guard let map = node.mapping(allowed: ["listen", "tls", "tokens", "metrics", "session_lifetime"]) else {
            return nil
        }
        if let listenNode = map["listen"], let listen = readListenAddress(listenNode) {
            api.listen = listen
        }
        if let tlsNode = map["tls"], !tlsNode.isNull, let tls = tlsNode.mapping(allowed: ["certificate", "key"]) {
            let certificate = tls.required("certificate").flatMap { readableFile($0, resolve: resolve) }
            let key = tls.required("key").flatMap { readableFile($0, resolve: resolve) }
            if let certificate, let key {
                api.tls = APISettings.TLS(certificatePath: certificate, keyPath: key)
            }
        }
        if let metricsNode = map["metrics"], let text = metricsNode.string() {
            if let access = APISettings.MetricsAccess(rawValue: text) {
                api.metrics = access
            } else {
                metricsNode.error("api.metrics must be 'open' (no token) or 'read' (a token with the read scope)")
            }
        }
        api.sessionLifetime = map["session_lifetime"]?.duration() ?? api.sessionLifetime
        api.tokens = (map["tokens"]?.sequence() ?? []).compactMap(readToken)
        var names: Set<String> = []
        for token in api.tokens where !names.insert(token.name).inserted {
            map["tokens"]?.error("api.tokens: the name '\(token.name)' is used twice")
        }
        return api
    }

    private func readToken(_ node: NodeReader) -> APISettings.Token? {
        guard let map = node.mapping(allowed: ["name", "sha256", "scopes"]) else { return nil }
        let name = map.string("name", required: true)
        var digest: [UInt8]?
        if let hashNode = map.required("sha256"), let text = hashNode.string() {
            digest = APISettings.digest(hex: text)
            if digest == nil {
                // Said without echoing the value: a token pasted here by mistake must not reach a log.
                hashNode.error(
                    "\(hashNode.path) must be the SHA-256 of the token as 64 hex digits "
                        + "(run 'netraven token hash' or 'netraven token new')")
            }
        }
        var scopes: Set<APISettings.Scope> = []
        if let scopesNode = map.required("scopes"), let items = scopesNode.sequence() {
            for item in items {
                guard let text = item.string() else { continue }
                guard let scope = APISettings.Scope(rawValue: text) else {
                    let known = APISettings.Scope.allCases.map(\.rawValue).joined(separator: ", ")
                    item.error("\(item.path) must be one of \(known), found '\(text)'")
                    continue
                }
                scopes.insert(scope)
            }
        }
        guard let name, let digest else { return nil }
        return APISettings.Token(name: name, sha256: digest, scopes: scopes)
    }
}
