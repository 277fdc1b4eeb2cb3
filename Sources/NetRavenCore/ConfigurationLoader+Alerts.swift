import Foundation

extension ConfigurationLoader {
    /// Reads the `alerts:` section; every problem is reported at its own line and column.
    /// `deviceGroups` (nil when the inventory did not load) checks the groups routes name.
    func readAlerts(_ node: NodeReader, resolve: (String) -> String, deviceGroups: Set<String>?) -> AlertSettings {
        var alerts = AlertSettings()
        guard let map = node.mapping(allowed: ["destinations", "routes", "grouping"]) else { return alerts }
        if let grouping = map["grouping"].flatMap({ readGrouping($0, defaults: AlertGrouping()) }) {
            alerts.grouping = grouping
        }
        for (name, _, value) in map["destinations"]?.namedEntries() ?? [] {
            if let destination = readDestination(name: name, value, resolve: resolve, grouping: alerts.grouping) {
                alerts.destinations[name] = destination
            }
        }
        let known = Set(map["destinations"]?.namedEntries()?.map(\.name) ?? [])
        for (index, item) in (map["routes"]?.sequence() ?? []).enumerated() {
            if let route = readRoute(item, index: index, destinations: known, deviceGroups: deviceGroups) {
                alerts.routes.append(route)
            }
        }
        return alerts
    }

    private func readGrouping(_ node: NodeReader, defaults: AlertGrouping) -> AlertGrouping? {
        guard let map = node.mapping(allowed: ["window", "max_per_minute"]) else { return nil }
        var grouping = defaults
        if let window = map["window"]?.duration() {
            if window > .seconds(3600) {
                map["window"]?.error("\(node.path).window must be at most 1h")
            } else {
                grouping.window = window
            }
        }
        grouping.maxPerMinute = map["max_per_minute"]?.int(in: 0...100_000) ?? grouping.maxPerMinute
        return grouping
    }

    private func readDestination(
        name: String, _ node: NodeReader, resolve: (String) -> String, grouping: AlertGrouping
    ) -> AlertDestination? {
        let common: Set<String> = ["type", "grouping"]
        let keys: [String: Set<String>] = [
            "webhook": ["url", "headers", "bearer_token", "timeout"],
            "slack": ["url", "max_diff_lines", "timeout"],
            "email": ["url", "username", "password", "from", "to", "ca_file", "subject_prefix", "timeout"],
            "exec": ["command", "environment", "timeout"],
            "syslog": ["host", "port", "transport", "facility", "severity", "hostname"],
        ]
        // The type decides the allowed keys, so read it first from the raw mapping.
        let everyKey = keys.values.reduce(common) { $0.union($1) }
        guard let loose = node.mapping(allowed: everyKey),
            let typeNode = loose.required("type"), let type = typeNode.string()
        else { return nil }
        guard let allowed = keys[type] else {
            typeNode.error(
                "\(typeNode.path) must be one of \(keys.keys.sorted().joined(separator: ", ")), found '\(type)'")
            return nil
        }
        for entry in loose.entries where !common.contains(entry.key) && !allowed.contains(entry.key) {
            entry.keyReader.error(
                "key '\(entry.key)' does not apply to a \(type) destination (known keys: "
                    + "\(allowed.union(common).sorted().joined(separator: ", ")))")
        }
        let map = loose
        let ownGrouping = map["grouping"].flatMap { readGrouping($0, defaults: grouping) }
        let kind: AlertDestination.Kind?
        switch type {
        case "webhook":
            kind = readWebhookURL(map).map { url in
                var settings = AlertDestination.WebhookSettings(url: url)
                settings.bearerToken = readSecret(map["bearer_token"])
                settings.timeout = map["timeout"]?.duration() ?? settings.timeout
                for (header, _, value) in map["headers"]?.namedEntries() ?? [] {
                    if let text = value.string() { settings.headers[header] = text }
                }
                return .webhook(settings)
            }
        case "slack":
            kind = readWebhookURL(map).map { url in
                var settings = AlertDestination.SlackSettings(url: url)
                settings.maxDiffLines = map["max_diff_lines"]?.int(in: 0...500) ?? settings.maxDiffLines
                settings.timeout = map["timeout"]?.duration() ?? settings.timeout
                return .slack(settings)
            }
        case "email":
            kind = readEmail(map, resolve: resolve).map { .email($0) }
        case "exec":
            kind = readExec(map).map { .exec($0) }
        default:
            kind = readSyslogForward(map).map { .syslog($0) }
        }
        return kind.map { AlertDestination(name: name, kind: $0, grouping: ownGrouping) }
    }

    private func readWebhookURL(_ map: MappingReader) -> Secret? {
        guard let node = map.required("url"), let secret = readSecret(node) else { return nil }
        let value = secret.value
        guard value.hasPrefix("https://") || value.hasPrefix("http://") else {
            // The value may hold a token: say what is wrong without showing it.
            node.error("\(node.path) must be an http:// or https:// URL")
            return nil
        }
        return secret
    }

    private func readEmail(_ map: MappingReader, resolve: (String) -> String) -> AlertDestination.EmailSettings? {
        guard let urlNode = map.required("url"), let url = urlNode.string() else { return nil }
        let security: AlertDestination.EmailSettings.Security
        if url.hasPrefix("smtps://") {
            security = .tls
        } else if url.hasPrefix("smtp://") {
            // Plain SMTP only to a relay on this machine; anywhere else STARTTLS is required.
            let host = url.dropFirst("smtp://".count).prefix { $0 != ":" && $0 != "/" }
            security = ["localhost", "127.0.0.1", "[::1]"].contains(String(host)) ? .none : .starttls
        } else {
            urlNode.error("\(urlNode.path) must start with smtp:// (STARTTLS) or smtps:// (TLS), found '\(url)'")
            return nil
        }
        let from = map.string("from", required: true)
        let to = map.required("to")?.stringList()
        if let toNode = map["to"], let to, to.isEmpty {
            toNode.error("\(toNode.path) must name at least one recipient")
        }
        for (address, node) in [(from, map["from"])] + (to ?? []).map({ ($0, map["to"]) }) {
            if let address, !address.contains("@") { node?.error("'\(address)' is not an e-mail address") }
        }
        guard let from, let to, !to.isEmpty else { return nil }
        var settings = AlertDestination.EmailSettings(url: url, security: security, from: from, to: to)
        settings.username = map.string("username")
        settings.password = readSecret(map["password"])
        if settings.password != nil && settings.username == nil {
            map["password"]?.error("\(map.reader.path).password needs a username")
        }
        settings.caFile = map["ca_file"].flatMap { readableFile($0, resolve: resolve) }
        settings.subjectPrefix = map.string("subject_prefix") ?? settings.subjectPrefix
        settings.timeout = map["timeout"]?.duration() ?? settings.timeout
        return settings
    }

    private func readExec(_ map: MappingReader) -> AlertDestination.ExecSettings? {
        guard let commandNode = map.required("command"), let command = commandNode.stringList() else { return nil }
        guard let program = command.first, !program.isEmpty else {
            commandNode.error("\(commandNode.path) must name a program: [\"/usr/local/bin/notify\", \"--flag\"]")
            return nil
        }
        if program.hasPrefix("/") && !FileManager.default.isExecutableFile(atPath: program) {
            commandNode.error("\(commandNode.path): \(program) is not an executable file")
        }
        var settings = AlertDestination.ExecSettings(command: command)
        for (name, _, value) in map["environment"]?.namedEntries() ?? [] {
            if let text = value.string() { settings.environment[name] = text }
        }
        settings.timeout = map["timeout"]?.duration() ?? settings.timeout
        return settings
    }

    private func readSyslogForward(_ map: MappingReader) -> AlertDestination.SyslogForwardSettings? {
        guard let host = map.string("host", required: true) else { return nil }
        var settings = AlertDestination.SyslogForwardSettings(host: host)
        settings.port = map["port"]?.int(in: 1...65535) ?? settings.port
        if let node = map["transport"], let text = node.string() {
            if let transport = AlertDestination.SyslogForwardSettings.Transport(rawValue: text) {
                settings.transport = transport
            } else {
                node.error("\(node.path) must be udp or tcp, found '\(text)'")
            }
        }
        if let node = map["facility"], let text = node.string() {
            if let number = Self.syslogFacilities[text] ?? Int(text).flatMap({ (0...23).contains($0) ? $0 : nil }) {
                settings.facility = number
            } else {
                node.error("\(node.path) must be a facility name (daemon, local0 ... local7) or 0-23, found '\(text)'")
            }
        }
        if let node = map["severity"], let text = node.string() {
            if let number = Self.syslogSeverities[text] ?? Int(text).flatMap({ (0...7).contains($0) ? $0 : nil }) {
                settings.severity = number
            } else {
                node.error(
                    "\(node.path) must be a severity name (crit, warning, notice, info ...) or 0-7, found '\(text)'")
            }
        }
        settings.hostname = map.string("hostname")
        return settings
    }

    private static let syslogFacilities: [String: Int] = [
        "kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "lpr": 6, "news": 7, "uucp": 8,
        "cron": 9, "authpriv": 10, "ftp": 11, "local0": 16, "local1": 17, "local2": 18, "local3": 19, "local4": 20,
        "local5": 21, "local6": 22, "local7": 23,
    ]

    private static let syslogSeverities: [String: Int] = [
        "emerg": 0, "alert": 1, "crit": 2, "err": 3, "warning": 4, "notice": 5, "info": 6, "debug": 7,
    ]

    private func readRoute(
        _ node: NodeReader, index: Int, destinations: Set<String>, deviceGroups: Set<String>?
    ) -> AlertRoute? {
        let keys: Set<String> = [
            "name", "verdict", "failures", "groups", "tags", "devices", "min_severity", "destinations", "continue",
        ]
        guard let map = node.mapping(allowed: keys) else { return nil }
        var route = AlertRoute(
            name: map.string("name") ?? "routes[\(index)]", destinations: [], location: node.location)
        for item in map["verdict"].map(listItems) ?? [] {
            guard let text = item.string() else { continue }
            if let kind = ChangeVerdict.Kind(rawValue: text) {
                route.verdicts.insert(kind)
            } else {
                item.error("\(item.path) must be expected or unexpected, found '\(text)'")
            }
        }
        if let failuresNode = map["failures"] { route.failures = readFailureMatches(failuresNode) }
        route.groups = map["groups"]?.stringList() ?? []
        if let deviceGroups, let groupsNode = map["groups"] {
            for group in route.groups where !deviceGroups.contains(group) {
                groupsNode.error("\(groupsNode.path): no device is in group '\(group)'")
            }
        }
        route.tags = map["tags"]?.stringList() ?? []
        route.devices = map["devices"]?.stringList() ?? []
        if let node = map["min_severity"], let text = node.string() {
            if let severity = AlertSeverity(rawValue: text) {
                route.minimumSeverity = severity
            } else {
                node.error("\(node.path) must be info, warning or critical, found '\(text)'")
            }
        }
        if let destinationsNode = map.required("destinations"), let names = destinationsNode.stringList() {
            for name in names where !destinations.contains(name) {
                let known = destinations.sorted().joined(separator: ", ")
                destinationsNode.error(
                    "\(destinationsNode.path): no destination called '\(name)' in alerts.destinations (known: \(known))"
                )
            }
            if names.isEmpty { destinationsNode.error("\(destinationsNode.path) must name at least one destination") }
            route.destinations = names
        }
        route.continueMatching = map["continue"]?.bool() ?? true
        return route
    }

    /// `failures: [unreachable, host_key_changed]` or `failures: {unreachable: {after: 3, recovery: true}}`.
    private func readFailureMatches(_ node: NodeReader) -> [AlertFailureClass: AlertRoute.FailureMatch] {
        var result: [AlertFailureClass: AlertRoute.FailureMatch] = [:]
        func failureClass(_ name: String, at location: SourceLocation) -> AlertFailureClass? {
            if let failure = AlertFailureClass(rawValue: name) { return failure }
            node.diagnostics.add(
                location.diagnostic(
                    "\(node.path): unknown failure class '\(name)' (known: \(AlertFailureClass.names))"))
            return nil
        }
        if case .mapping = node.node {
            for (name, keyLocation, value) in node.namedEntries() ?? [] {
                guard let failure = failureClass(name, at: keyLocation) else { continue }
                var match = AlertRoute.FailureMatch()
                if !value.isNull, let options = value.mapping(allowed: ["after", "recovery"]) {
                    match.after = options["after"]?.int(in: 1...10_000) ?? match.after
                    match.recovery = options["recovery"]?.bool() ?? match.recovery
                }
                result[failure] = match
            }
        } else {
            for item in listItems(node) {
                if let name = item.string(), let failure = failureClass(name, at: item.location) {
                    result[failure] = AlertRoute.FailureMatch()
                }
            }
        }
        return result
    }

    /// A scalar or a list, as readers of its items (so each is reported at its own position).
    private func listItems(_ node: NodeReader) -> [NodeReader] {
        if case .scalar = node.node { return [node] }
        return node.sequence() ?? []
    }
}
