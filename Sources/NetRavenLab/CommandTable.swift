/// The commands each platform's CLI accepts, matched the way devices do: whole keywords or unambiguous
/// abbreviations (`sh run`), numbers where a number is expected.
enum ShellCommand: Equatable {
    case enable, disable, exit, terminalLength, terminalWidth
    case showRunning, showStartup, showVersion, showClock, showInventory, save, configure
    case junosScreenLength, junosScreenWidth, junosCompleteOnSpace
    case junosShowConfiguration, junosShowChassisHardware
    /// A real command the lab does not emulate (kept so abbreviations are as ambiguous as on a device).
    case unsupported
}

struct CommandSpec {
    let words: [String]
    let command: ShellCommand

    init(_ line: String, _ command: ShellCommand) {
        words = line.split(separator: " ").map(String.init)
        self.command = command
    }
}

enum CommandMatch: Equatable {
    case command(ShellCommand, arguments: [String])
    /// The token at this index is not a keyword here (IOS: "% Invalid input detected at '^' marker.").
    case invalid(token: Int)
    case ambiguous(token: Int)
    case incomplete
}

enum CommandTable {
    /// Commands for a platform in a mode; `privileged` is `#` (IOS/EOS after `enable`).
    static func specs(_ platform: LabPlatform, privileged: Bool) -> [CommandSpec] {
        switch platform {
        case .ciscoIOS:
            var s = ciscoCommon + [CommandSpec("show inventory", .showInventory)]
            // Decoys so abbreviations are as ambiguous as on a real box ("te" could be telnet or terminal).
            s += [CommandSpec("telnet <word>", .unsupported), CommandSpec("traceroute <word>", .unsupported),
                CommandSpec("ping <word>", .unsupported), CommandSpec("show clock detail", .showClock)]
            if privileged {
                s += [CommandSpec("show running-config", .showRunning), CommandSpec("show startup-config", .showStartup),
                    CommandSpec("disable", .disable), CommandSpec("write memory", .save),
                    CommandSpec("copy running-config startup-config", .save),
                    CommandSpec("configure terminal", .configure)]
            }
            return s
        case .aristaEOS:
            var s = ciscoCommon + [CommandSpec("show running-config", .showRunning),
                CommandSpec("show startup-config", .showStartup)]
            if privileged {
                s += [CommandSpec("disable", .disable), CommandSpec("write memory", .save),
                    CommandSpec("copy running-config startup-config", .save),
                    CommandSpec("configure", .configure), CommandSpec("configure terminal", .configure)]
            }
            return s
        case .ciscoNXOS:
            return [
                CommandSpec("terminal length <n>", .terminalLength), CommandSpec("terminal width <n>", .terminalWidth),
                CommandSpec("show version", .showVersion), CommandSpec("show clock", .showClock),
                CommandSpec("show running-config", .showRunning), CommandSpec("show startup-config", .showStartup),
                CommandSpec("show inventory", .showInventory),
                CommandSpec("copy running-config startup-config", .save),
                CommandSpec("configure", .configure), CommandSpec("configure terminal", .configure),
                CommandSpec("exit", .exit), CommandSpec("end", .disable),
            ]
        case .juniperJunos:
            return [
                CommandSpec("set cli screen-length <n>", .junosScreenLength),
                CommandSpec("set cli screen-width <n>", .junosScreenWidth),
                CommandSpec("set cli complete-on-space <word>", .junosCompleteOnSpace),
                CommandSpec("show configuration", .junosShowConfiguration),
                CommandSpec("show version", .showVersion),
                CommandSpec("show chassis hardware", .junosShowChassisHardware),
                CommandSpec("show system uptime", .showClock),
                CommandSpec("configure", .configure),
                CommandSpec("exit", .exit), CommandSpec("quit", .exit),
            ]
        }
    }

    private static let ciscoCommon = [
        CommandSpec("enable", .enable), CommandSpec("exit", .exit), CommandSpec("logout", .exit),
        CommandSpec("quit", .exit), CommandSpec("terminal length <n>", .terminalLength),
        CommandSpec("terminal width <n>", .terminalWidth), CommandSpec("show version", .showVersion),
        CommandSpec("show clock", .showClock),
    ]

    static func match(_ tokens: [String], in specs: [CommandSpec]) -> CommandMatch {
        var candidates = specs
        var arguments: [String] = []
        for (i, raw) in tokens.enumerated() {
            let token = raw.lowercased()
            let next = candidates.filter { i < $0.words.count && accepts($0.words[i], token) }
            if next.isEmpty { return .invalid(token: i) }
            let exact = next.filter { $0.words[i] == token }
            if !exact.isEmpty {
                candidates = exact
            } else {
                let keywords = Set(next.map { $0.words[i] }.filter { !$0.hasPrefix("<") })
                if keywords.count > 1 { return .ambiguous(token: i) }
                candidates = next
                if next.contains(where: { $0.words[i].hasPrefix("<") }) { arguments.append(raw) }
            }
        }
        guard let spec = candidates.first(where: { $0.words.count == tokens.count }) else { return .incomplete }
        return .command(spec.command, arguments: arguments)
    }

    private static func accepts(_ keyword: String, _ token: String) -> Bool {
        switch keyword {
        case "<n>": return Int(token) != nil
        case "<word>": return true
        default: return keyword.hasPrefix(token)
        }
    }
}
