import Foundation

extension SensitiveCategory {
    /// Loads `directory/sensitive/*.yaml`; a rules directory without it has no sensitive categories.
    static func load(directory: String, diagnostics: DiagnosticCollector) -> [SensitiveCategory] {
        let folder = (directory as NSString).appendingPathComponent("sensitive")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var categories: [SensitiveCategory] = []
        var defined: [String: SourceLocation] = [:]
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let file = (folder as NSString).appendingPathComponent(name)
            guard let yaml = YAMLFile.load(path: file, diagnostics: diagnostics), let root = yaml.root else { continue }
            let reader = NodeReader(node: root, file: file, diagnostics: diagnostics, path: "")
            guard let top = reader.mapping(allowed: ["categories"]),
                let entries = top.required("categories")?.namedEntries()
            else { continue }
            for (category, keyLocation, value) in entries {
                if let first = defined[category] {
                    diagnostics.add(keyLocation.diagnostic("sensitive category '\(category)' is already defined at \(first)"))
                    continue
                }
                defined[category] = keyLocation
                categories.append(SensitiveCategory(name: category, patterns: value.regexList() ?? []))
            }
        }
        return categories
    }
}

extension ConfigurationLoader {
    /// The `verdict:` section; `categories` are the rules directory's sensitive categories (the default set).
    func readVerdict(_ node: NodeReader?, categories: [SensitiveCategory]) -> VerdictPolicy {
        var policy = VerdictPolicy(sensitive: categories)
        guard let node else { return policy }
        guard
            let map = node.mapping(allowed: ["automation_accounts", "ticket_pattern", "users", "windows", "sensitive"])
        else { return policy }
        policy.automationAccounts = map["automation_accounts"]?.stringList() ?? []
        policy.ticketPattern = map["ticket_pattern"]?.regex()
        for item in map["users"]?.sequence() ?? [] {
            guard let rule = item.mapping(allowed: ["devices", "allow"]) else { continue }
            guard let allow = rule.required("allow")?.stringList() else { continue }
            policy.users.append(VerdictPolicy.UserRule(devices: rule["devices"]?.stringList() ?? [], allow: allow))
        }
        var windowNames: Set<String> = []
        for item in map["windows"]?.sequence() ?? [] {
            guard let window = readWindow(item) else { continue }
            if !windowNames.insert(window.name).inserted {
                item.error("\(item.path): a change window named '\(window.name)' is already defined")
                continue
            }
            policy.windows.append(window)
        }
        if let sensitiveNode = map["sensitive"],
            let sensitive = sensitiveNode.mapping(allowed: ["ignore", "patterns", "exempt"])
        {
            if let ignoreNode = sensitive["ignore"], let ignored = ignoreNode.stringList() {
                let known = Set(categories.map(\.name))
                for name in ignored where !known.contains(name) {
                    ignoreNode.error(
                        "\(ignoreNode.path): no sensitive category '\(name)' in the rules "
                            + "(categories: \(known.sorted().joined(separator: ", ")))")
                }
                policy.sensitive.removeAll { ignored.contains($0.name) }
            }
            for (name, _, value) in sensitive["patterns"]?.namedEntries() ?? [] {
                let patterns = value.regexList() ?? []
                if let index = policy.sensitive.firstIndex(where: { $0.name == name }) {
                    policy.sensitive[index].patterns += patterns  // extends a category of the rules
                } else {
                    policy.sensitive.append(SensitiveCategory(name: name, patterns: patterns))
                }
            }
            if let exemptNode = sensitive["exempt"], let names = exemptNode.stringList() {
                for name in names {
                    if let exemption = VerdictPolicy.Exemption(rawValue: name) {
                        policy.sensitiveExemptions.insert(exemption)
                    } else {
                        exemptNode.error("\(exemptNode.path): '\(name)' is not automation or ticket")
                    }
                }
            }
        }
        return policy
    }

    private func readWindow(_ node: NodeReader) -> ChangeWindow? {
        guard let map = node.mapping(allowed: ["name", "devices", "cron", "duration", "time_zone"]) else { return nil }
        let name = map.string("name", required: true)
        let hasCron = map.required("cron") != nil
        var duration = map.required("duration")?.duration()
        if let length = duration, length <= .zero || length > .seconds(7 * 86_400), let node = map["duration"] {
            node.error("\(node.path) must be longer than 0 and at most 7 days")
            duration = nil
        }
        // Every key is checked before giving up, so one run reports every mistake.
        let schedule = hasCron ? readSchedule(map, inherited: SweepSchedule(timing: .interval(.seconds(86_400)))) : nil
        guard let name, let duration, let schedule else { return nil }
        return ChangeWindow(name: name, devices: map["devices"]?.stringList() ?? [], opens: schedule, duration: duration)
    }
}
