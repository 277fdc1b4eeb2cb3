/// Configuration mode of one CLI session, as an engineer uses it.
///
/// Cisco-like (IOS, NX-OS, EOS): `configure terminal`, each line applied to the running configuration as it is
/// typed (as on the real boxes), `interface X` / `router X` / `line X` / `vlan X` open a sub-mode whose lines go
/// into that block, `no LINE` removes a line, `exit` leaves a sub-mode (or config mode at the top), `end` / Ctrl-Z
/// leave config mode. Leaving records ONE change by the session's user from its client address; IOS, NX-OS and
/// EOS report leaving config mode even without edits (real devices log CONFIG_I then too).
///
/// Junos: `configure` enters a private candidate; `set` / `delete` stage statements; `commit [comment "..."]`
/// applies them and records the change; `rollback` drops them; `exit` / `quit` leaves (uncommitted edits are
/// dropped). Entering and leaving without a commit is not a change.
struct ConfigModeSession {
    let device: LabDevice
    let user: String
    let peer: String?
    let line: Int?
    /// The Cisco block header the session is in (`interface Loopback9`), nil at the top level.
    private(set) var block: String?
    private var blockMode: String?
    private var edited = false
    /// Junos: staged statements (`set ...` / `delete ...`), in order.
    private var staged: [String] = []

    init(device: LabDevice, user: String, peer: String?, line: Int?) {
        self.device = device
        self.user = user
        self.peer = peer
        self.line = line
    }

    /// What a line typed in config mode did.
    enum Outcome: Equatable {
        /// Still in config mode; print this (with "\r\n" line ends) and the config prompt.
        case stay(String)
        /// Config mode is over; print this and the exec prompt.
        case leave(String)
    }

    /// The prompt in config mode: `r1(config)#`, `r1(config-if)#`, NX-OS with a trailing space, Junos `user@r4# `.
    var prompt: String {
        let mode = blockMode.map { "config-\($0)" } ?? "config"
        switch device.platform {
        case .ciscoIOS, .aristaEOS: return "\(device.name)(\(mode))#"
        case .ciscoNXOS: return "\(device.name)(\(mode))# "
        case .juniperJunos: return "\r\n[edit]\r\n\(user)@\(device.name)# "
        }
    }

    /// Enters config mode: reports it (EOS CONFIG_E, Junos UI_DBASE_LOGIN_EVENT) and returns the banner.
    func enter() -> String {
        device.report(.configEntered, user: user, source: peer, line: line)
        switch device.platform {
        case .ciscoIOS, .ciscoNXOS: return "Enter configuration commands, one per line.  End with CNTL/Z.\r\n"
        case .aristaEOS: return ""
        case .juniperJunos: return "Entering configuration mode\r\n"
        }
    }

    /// Leaves config mode (`end`, Ctrl-Z, `exit` at the top); Cisco-like platforms record the session's change.
    mutating func leave() -> String {
        if device.platform == .juniperJunos {
            let warning = staged.isEmpty ? "" : "The configuration has been changed but not committed\r\n"
            staged = []
            device.report(.configExited, user: user, source: peer, line: line)
            return warning + "Exiting configuration mode\r\n\r\n"
        }
        device.recordSession(user: user, source: peer, line: line, changed: edited)
        edited = false
        block = nil
        blockMode = nil
        return ""
    }

    /// Handles one typed line.
    mutating func execute(_ text: String) -> Outcome {
        let trimmed = String(text.trimmingSpaces())
        if trimmed.isEmpty { return .stay("") }
        return device.platform == .juniperJunos ? junos(trimmed) : cisco(trimmed)
    }

    // MARK: Cisco-like

    private static let blockModes: [(keyword: String, minimum: Int, mode: String)] = [
        ("interface", 3, "if"), ("router", 3, "router"), ("line", 4, "line"), ("vlan", 4, "vlan"),
    ]

    private mutating func cisco(_ text: String) -> Outcome {
        var words = text.split(separator: " ").map(String.init)
        let first = words[0].lowercased()
        if first == "end" { return .leave(leave()) }
        if first == "exit" {
            if block == nil { return .leave(leave()) }
            block = nil
            blockMode = nil
            return .stay("")
        }
        // Block headers are stored spelled out, as `show running-config` prints them (`int Lo9` → `interface Lo9`).
        if let opener = Self.blockModes.first(where: {
            first.count >= $0.minimum && $0.keyword.hasPrefix(first)
        }), words.count > 1 {
            words[0] = opener.keyword
            let header = words.joined(separator: " ")
            device.editConfig { ConfigModeEditor(platform: device.platform).apply(header, block: nil, to: $0) }
            block = header
            blockMode = opener.mode
        } else {
            let current = block
            device.editConfig { ConfigModeEditor(platform: device.platform).apply(text, block: current, to: $0) }
        }
        edited = true
        // IOS archive logging (`archive` / `log config` / `notify syslog`) reports every configuration command.
        if device.platform == .ciscoIOS, device.config.contains("notify syslog") {
            device.report(.commandLogged, user: user, source: peer, line: line, command: text)
        }
        return .stay("")
    }

    // MARK: Junos

    private mutating func junos(_ text: String) -> Outcome {
        let words = JunosNode.words(text)
        switch words[0] {
        case "set", "delete":
            guard words.count > 1 else { return .stay("syntax error, expecting <statement>.\r\n") }
            staged.append(text)
            return .stay("")
        case "commit":
            var comment: String?
            if words.count >= 3, words[1] == "comment" {
                comment = words[2...].joined(separator: " ").replacingOccurrences(of: "\"", with: "")
            }
            let andQuit = words.dropFirst().contains("and-quit")
            var change = LabConfigChange(user: user, source: peer)
            for statement in staged {
                if statement.hasPrefix("delete ") { change.remove.append(statement) } else { change.add.append(statement) }
            }
            let changed = !staged.isEmpty
            if changed { device.editConfig { ConfigEditor(platform: .juniperJunos).apply(change, to: $0) } }
            staged = []
            // Junos commits (and logs UI_COMMIT) even when nothing was staged; only then nothing changed.
            device.recordSession(user: user, source: peer, line: line, changed: changed, comment: comment)
            return andQuit ? .leave("commit complete\r\n" + leave()) : .stay("commit complete\r\n")
        case "rollback":
            staged = []
            return .stay("load complete\r\n")
        case "exit", "quit":
            return .leave(leave())
        case "top", "up":
            return .stay("")
        default:
            return .stay("unknown command.\r\n")
        }
    }
}

/// Applies one configuration-mode line of a Cisco-like platform to a configuration body, inside a block or at the
/// top level: `no X` removes the line `X`, anything else is added unless already present.
struct ConfigModeEditor {
    let platform: LabPlatform

    private var indent: String {
        switch platform {
        case .ciscoNXOS: return "  "
        case .aristaEOS: return "   "
        case .ciscoIOS, .juniperJunos: return " "
        }
    }

    func apply(_ text: String, block: String?, to config: String) -> String {
        var lines = config.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let negated = text.hasPrefix("no ") ? String(text.dropFirst(3).trimmingSpaces()) : nil
        var range = 0..<lines.count
        var prefix = ""
        if let block {
            guard let header = lines.firstIndex(of: block) else { return config }
            var end = header + 1
            while end < lines.count, lines[end].first == " " { end += 1 }
            range = (header + 1)..<end
            prefix = lines[range].first.map { String($0.prefix(while: { $0 == " " })) } ?? indent
        }
        let inBlock = { (i: Int) -> Bool in block != nil || !lines[i].hasPrefix(" ") }
        if let target = negated {
            if let i = range.first(where: { inBlock($0) && lines[$0].trimmingSpaces() == target }) {
                // A block header takes its indented body with it, like `no interface X`.
                var j = i + 1
                if block == nil { while j < lines.count, lines[j].first == " " { j += 1 } }
                lines.removeSubrange(i..<j)
            }
        } else if !range.contains(where: { inBlock($0) && lines[$0].trimmingSpaces() == text }) {
            if block != nil {
                lines.insert(prefix + text, at: range.upperBound)
            } else {
                let at = platform == .ciscoNXOS ? lines.count : (lines.lastIndex(of: "end") ?? lines.count)
                lines.insert(text, at: at)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
