import Foundation

/// What a shell asks its SSH channel to do.
enum ShellAction: Equatable {
    /// Send this text (already with "\r\n" line ends).
    case send(String)
    /// Close the connection (after `exit`, or a `dropAfterBytes` fault).
    case close
}

/// One interactive CLI session on a simulated device: echo, line editing, modes, paging, commands.
///
/// A value type fed bytes and returning actions, so it is tested without SSH. Confined to its channel's event loop.
struct DeviceShell {
    let device: LabDevice
    let user: String
    private var privileged: Bool
    private var screenLength = 24
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var input = Input.command
    private let now: () -> Double
    /// The SSH client's address (reported as the change's source) and the session's terminal line.
    let peer: String?
    let terminal: Int?
    /// Set while the session is in configuration mode.
    private(set) var configMode: ConfigModeSession?
    /// Set once a `stallAfterBytes` fault has wedged the session: nothing is answered any more.
    private(set) var stalled = false

    private enum Input {
        case command
        case enablePassword(attempt: Int, typed: [UInt8])
        case pager(Pager)
    }

    private struct Pager {
        var lines: [Substring]
        var next: Int
        var shownBytes: Int
        var totalBytes: Int
        var trailer: String
    }

    init(
        device: LabDevice, user: String, peer: String? = nil, line: Int? = nil,
        now: @escaping () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.device = device
        self.user = user
        self.peer = peer
        self.terminal = line
        self.now = now
        privileged = device.platform == .ciscoNXOS || device.platform == .juniperJunos
    }

    var prompt: String {
        if let configMode { return configMode.prompt }
        switch device.platform {
        case .ciscoIOS, .aristaEOS: return device.name + (privileged ? "#" : ">")
        case .ciscoNXOS: return device.name + "# "
        case .juniperJunos: return "\(user)@\(device.name)> "
        }
    }

    /// What the device prints when the shell opens.
    func greeting() -> [ShellAction] {
        let t = LabTime(epochSeconds: now() - 3600)
        switch device.platform {
        case .ciscoIOS:
            return [.send("\r\nAuthorized access only. \(device.name) is monitored.\r\n\r\n" + prompt)]
        case .ciscoNXOS:
            return [.send("Cisco Nexus Operating System (NX-OS) Software\r\nTAC support: http://www.cisco.com/tac\r\n"
                + "Copyright (C) 2002-2021, Cisco and/or its affiliates.\r\nAll rights reserved.\r\n" + prompt)]
        case .aristaEOS:
            return [.send("Last login: \(t.nxos) from 10.0.0.9\r\n" + prompt)]
        case .juniperJunos:
            return [.send("Last login: \(t.nxos) from 10.0.0.9\r\n--- JUNOS 21.4R3.15 Kernel 64-bit  "
                + "JNPR-12.1-20220928.8f0dd0b_buil\r\n" + prompt)]
        }
    }

    // MARK: Input

    mutating func receive(_ bytes: some Sequence<UInt8>) -> [ShellAction] {
        if device.faults.hang { return [] }
        var actions: [ShellAction] = []
        for byte in bytes {
            if stalled { break }
            let wasCR = lastWasCR
            lastWasCR = byte == 13
            if byte == 10 && wasCR { continue }  // CR LF is one Enter
            actions += receive(byte)
            if actions.last == .close { break }
        }
        return Self.coalesced(actions)
    }

    private mutating func receive(_ byte: UInt8) -> [ShellAction] {
        switch input {
        case .pager(var pager):
            return pagerKey(byte, &pager)
        case .enablePassword(let attempt, var typed):
            if byte == 13 || byte == 10 { return enablePasswordEntered(String(decoding: typed, as: UTF8.self), attempt) }
            if byte == 127 || byte == 8 { _ = typed.popLast() } else if byte >= 32 { typed.append(byte) }
            input = .enablePassword(attempt: attempt, typed: typed)
            return []
        case .command:
            switch byte {
            case 13, 10:
                let text = String(decoding: line, as: UTF8.self)
                line = []
                return [.send("\r\n")] + execute(text)
            case 127, 8:
                guard !line.isEmpty else { return [] }
                line.removeLast()
                return [.send("\u{8} \u{8}")]
            case 26 where configMode != nil:  // Ctrl-Z leaves configuration mode, like `end`
                line = []
                let text = configMode?.leave() ?? ""
                configMode = nil
                return [.send("^Z\r\n" + text + prompt)]
            case 3, 26:  // Ctrl-C, Ctrl-Z: abandon the line
                line = []
                return [.send("^C\r\n" + prompt)]
            case 21:  // Ctrl-U
                let n = line.count
                line = []
                return [.send(String(repeating: "\u{8} \u{8}", count: n))]
            case 32..<127, 128...:
                line.append(byte)
                return [.send(String(decoding: [byte], as: UTF8.self))]
            default:
                return []
            }
        }
    }

    private mutating func enablePasswordEntered(_ typed: String, _ attempt: Int) -> [ShellAction] {
        input = .command
        if typed == device.enablePassword {
            privileged = true
            return [.send("\r\n" + prompt)]
        }
        if device.platform == .aristaEOS {
            return [.send("\r\n% Access denied\r\n" + prompt)]
        }
        if attempt < 3 {
            input = .enablePassword(attempt: attempt + 1, typed: [])
            return [.send("\r\nPassword: ")]
        }
        return [.send("\r\n% Bad secrets\r\n\r\n" + prompt)]
    }

    /// The session ended (the client went away): leave configuration mode as the device would.
    mutating func disconnect() {
        _ = configMode?.leave()
        configMode = nil
    }

    // MARK: Commands

    private mutating func execute(_ text: String) -> [ShellAction] {
        if configMode != nil {
            switch configMode!.execute(text) {
            case .stay(let output): return [.send(output + prompt)]
            case .leave(let output):
                configMode = nil
                return [.send(output + prompt)]
            }
        }
        let parts = text.split(separator: "|", omittingEmptySubsequences: false)
        let main = String(parts[0])
        let tokens = main.split(separator: " ").map(String.init)
        let isJunos = device.platform == .juniperJunos
        if tokens.isEmpty {
            return [.send(prompt)]
        }
        let result = CommandTable.match(tokens, in: CommandTable.specs(device.platform, privileged: privileged))
        let command: ShellCommand
        let arguments: [String]
        switch result {
        case .command(let c, let a):
            command = c
            arguments = a
        case .invalid(let index), .ambiguous(let index):
            return [.send(error(result, at: offset(ofToken: index, in: main), token: tokens[index]))]
        case .incomplete:
            return [.send((isJunos ? "syntax error, expecting <command>." : "% Incomplete command.") + "\r\n"
                + (isJunos ? "\r\n" : "\r\n") + prompt)]
        }

        var output = ""
        var isShow = false
        var isConfig = false
        switch command {
        case .enable:
            if privileged { return [.send(prompt)] }
            if device.platform == .aristaEOS && device.enablePassword.isEmpty {
                privileged = true
                return [.send(prompt)]
            }
            input = .enablePassword(attempt: 1, typed: [])
            return [.send("Password: ")]
        case .disable:
            privileged = device.platform == .ciscoNXOS
            return [.send(prompt)]
        case .exit:
            return [.close]
        case .unsupported:
            output = "% Unrecognized host or address, or protocol not running.\n"
        case .terminalLength, .junosScreenLength:
            screenLength = Int(arguments.first ?? "") ?? screenLength
            if device.platform == .aristaEOS && screenLength == 0 { output = "Pagination disabled.\n" }
            if isJunos { output = "Screen length set to \(screenLength)\n" }
        case .terminalWidth, .junosScreenWidth:
            if device.platform == .aristaEOS { output = "Width set to \(arguments.first ?? "80") columns.\n" }
            if isJunos { output = "Screen width set to \(arguments.first ?? "80")\n" }
        case .junosCompleteOnSpace:
            output = arguments.first?.lowercased() == "off" ? "Disabling complete-on-space\n"
                : "Enabling complete-on-space\n"
        case .showRunning, .junosShowConfiguration:
            let renderer = ConfigRenderer(device: device)
            let displaySet = isJunos && parts.dropFirst().contains { $0.split(separator: " ").first.map {
                "display".hasPrefix($0) } ?? false }
            output = displaySet ? renderer.displaySet() : renderer.runningConfig(now: now())
            isShow = true
            isConfig = true
        case .showStartup:
            output = ConfigRenderer(device: device).startupConfig(now: now())
            isShow = true
        case .showVersion:
            output = ConfigRenderer(device: device).showVersion(now: now())
            isShow = true
        case .junosShowChassisHardware:
            output = ConfigRenderer(device: device).chassisHardware()
            isShow = true
        case .showInventory:
            output = "NAME: \"Chassis\", DESCR: \"\(device.platform.model) Chassis\"\n"
                + "PID: \(device.platform.model)        , VID: V03  , SN: \(device.serial)\n\n"
            isShow = true
        case .showClock:
            let t = LabTime(epochSeconds: now())
            switch device.platform {
            case .ciscoIOS, .ciscoNXOS: output = "*\(t.hms).000 UTC \(t.dayName) \(t.monthName) \(t.day) \(t.year)\n"
            case .aristaEOS: output = "\(t.nxos)\nTimezone: UTC\nClock source: NTP server (10.0.0.1)\n"
            case .juniperJunos: output = "Current time: \(t.junos)\n"
            }
        case .configure:
            let session = ConfigModeSession(device: device, user: user, peer: peer, line: terminal)
            let banner = session.enter()
            configMode = session
            return [.send(banner + prompt)]
        case .save:
            device.saveConfig(user: user, source: peer, line: terminal)
            output = device.platform == .ciscoIOS ? "Building configuration...\n[OK]\n" : "Copy complete.\n"
        }

        // Output modifiers after "|".
        var paging = screenLength > 0
        for pipe in parts.dropFirst() {
            let words = pipe.split(separator: " ", maxSplits: 1).map(String.init)
            guard let verb = words.first?.lowercased() else { continue }
            let argument = words.count > 1 ? words[1] : ""
            if "no-more".hasPrefix(verb) && verb.count >= 2 {
                paging = false
            } else if isJunos && "display".hasPrefix(verb) {
                continue
            } else if ("include".hasPrefix(verb) && !isJunos) || (isJunos && "match".hasPrefix(verb)) {
                output = Self.filter(output) { $0.contains(argument) }
            } else if ("exclude".hasPrefix(verb) && !isJunos) || (isJunos && "except".hasPrefix(verb)) {
                output = Self.filter(output) { !$0.contains(argument) }
            } else if "begin".hasPrefix(verb) && !isJunos {
                let lines = output.split(separator: "\n")
                output = lines.drop { !$0.contains(argument) }.map { $0 + "\n" }.joined()
            } else {
                return [.send((isJunos ? "syntax error.\r\n\r\n" : "% Invalid input detected at '^' marker.\r\n\r\n")
                    + prompt)]
            }
        }

        let faults = device.faults
        if isConfig, let limit = faults.truncateAfterBytes, output.utf8.count > limit {
            output = String(decoding: output.utf8.prefix(limit), as: UTF8.self) + "\n"
        }
        let trailer = (isJunos && !output.isEmpty ? "\r\n" : "") + prompt
        if isShow, let limit = faults.dropAfterBytes {
            let text = Self.crlf(output)
            return [.send(String(decoding: text.utf8.prefix(limit), as: UTF8.self)), .close]
        }
        if isShow, let limit = faults.stallAfterBytes {
            stalled = true
            return [.send(String(decoding: Self.crlf(output).utf8.prefix(limit), as: UTF8.self))]
        }
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        if paging && lines.count > screenLength - 1 {
            var pager = Pager(lines: Array(lines), next: 0, shownBytes: 0, totalBytes: output.utf8.count,
                trailer: trailer)
            return page(&pager, count: screenLength - 1, erase: false)
        }
        return [.send(Self.crlf(output) + trailer)]
    }

    private static func filter(_ text: String, _ keep: (Substring) -> Bool) -> String {
        text.split(separator: "\n").filter(keep).map { $0 + "\n" }.joined()
    }

    static func crlf(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: "\r\n")
    }

    private func offset(ofToken index: Int, in line: String) -> Int {
        var seen = -1
        var inToken = false
        for (i, ch) in line.enumerated() {
            if ch != " " && !inToken {
                seen += 1
                if seen == index { return i }
            }
            inToken = ch != " "
        }
        return line.count
    }

    private func error(_ match: CommandMatch, at column: Int, token: String) -> String {
        let caret = String(repeating: " ", count: prompt.count + column) + "^\r\n"
        let ambiguous = if case .ambiguous = match { true } else { false }
        switch device.platform {
        case .ciscoIOS:
            if ambiguous { return "% Ambiguous command:  \"\(token)\"\r\n" + prompt }
            return caret + "% Invalid input detected at '^' marker.\r\n\r\n" + prompt
        case .ciscoNXOS:
            return caret + (ambiguous ? "% Ambiguous command at '^' marker.\r\n" : "% Invalid command at '^' marker.\r\n")
                + prompt
        case .aristaEOS:
            return (ambiguous ? "% Ambiguous command\r\n" : "% Invalid input\r\n") + prompt
        case .juniperJunos:
            return caret + (column == 0 ? "unknown command.\r\n" : "syntax error.\r\n") + "\r\n" + prompt
        }
    }

    // MARK: Pager

    private var moreText: String {
        switch device.platform {
        case .ciscoIOS, .aristaEOS: return " --More-- "
        case .ciscoNXOS: return "--More--"
        case .juniperJunos: return "---(more)---"
        }
    }

    private func more(_ pager: Pager) -> String {
        guard device.platform == .juniperJunos else { return moreText }
        let pct = pager.totalBytes > 0 ? pager.shownBytes * 100 / pager.totalBytes : 100
        return "---(more \(pct)%)---"
    }

    private func erase(_ pager: Pager) -> String {
        switch device.platform {
        case .ciscoIOS, .aristaEOS:
            // What IOS sends to wipe " --More-- ": 9 backspaces, 8 spaces, 9 backspaces.
            return String(repeating: "\u{8}", count: 9) + String(repeating: " ", count: 8)
                + String(repeating: "\u{8}", count: 9)
        case .ciscoNXOS, .juniperJunos:
            let n = more(pager).count
            return "\r" + String(repeating: " ", count: n) + "\r"
        }
    }

    private mutating func pagerKey(_ byte: UInt8, _ pager: inout Pager) -> [ShellAction] {
        switch byte {
        case UInt8(ascii: "q"), UInt8(ascii: "Q"), 3:
            input = .command
            return [.send(erase(pager) + pager.trailer)]
        case 13, 10:
            return page(&pager, count: 1, erase: true)
        default:
            return page(&pager, count: max(screenLength - 1, 1), erase: true)
        }
    }

    private mutating func page(_ pager: inout Pager, count: Int, erase doErase: Bool) -> [ShellAction] {
        var text = doErase ? erase(pager) : ""
        let end = min(pager.lines.count, pager.next + count)
        for line in pager.lines[pager.next..<end] {
            text += line
            text += "\r\n"
            pager.shownBytes += line.utf8.count + 1
        }
        pager.next = end
        if end >= pager.lines.count {
            input = .command
            return [.send(text + pager.trailer)]
        }
        input = .pager(pager)
        return [.send(text + more(pager))]
    }

    /// Merges consecutive sends, so a typed line goes out as one write.
    private static func coalesced(_ actions: [ShellAction]) -> [ShellAction] {
        var out: [ShellAction] = []
        for a in actions {
            if case .send(let s) = a, case .send(let prev)? = out.last {
                out[out.count - 1] = .send(prev + s)
            } else {
                out.append(a)
            }
        }
        return out
    }
}
