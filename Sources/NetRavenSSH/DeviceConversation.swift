import Foundation
public import Logging
public import NetRavenCore

/// Talks to a device's CLI as its platform rules say: waits for prompts, answers pagers, enters enable mode, runs
/// commands and returns their output without the echo, pager debris or the trailing prompt.
///
/// Synchronous and blocking: it runs on the thread that owns the channel.
public struct DeviceConversation<Channel: CLIChannel> {
    public let platform: PlatformRules
    public let channel: Channel
    /// Longest silence while waiting for a command's output to end in a prompt.
    public let commandTimeout: Duration
    /// When the whole capture must be over.
    public let deadline: ContinuousClock.Instant
    /// The prompt last seen, for messages.
    public private(set) var lastPrompt: String = ""
    /// The job's logger: each command sent is logged (its text, never its output nor a password typed).
    public var logger: Logger?

    /// Bytes since the last command was sent.
    private var pending: [UInt8] = []
    /// How many bytes of the tail are rendered to look for a prompt or pager: enough for any real prompt.
    private static var tailWindow: Int { 512 }

    public init(platform: PlatformRules, channel: Channel, commandTimeout: Duration, deadline: ContinuousClock.Instant) {
        self.platform = platform
        self.channel = channel
        self.commandTimeout = commandTimeout
        self.deadline = deadline
    }

    /// Waits for the first prompt, enters privileged mode when the platform has one, and sends the after-login
    /// commands (paging off, width).
    public mutating func start(enableSecret: Secret?) throws {
        do {
            _ = try readUntilPrompt(context: "the first prompt after login")
        } catch let error as CaptureError where error.code == .timeout {
            // Silence is a timeout (a hung device); output that never ends in a prompt is a rules problem.
            if pending.isEmpty {
                throw CaptureError(.timeout, "the device accepted the login but printed nothing within \(commandTimeout.seconds)s")
            }
            throw CaptureError(.promptNotFound, "no prompt matching /\(platform.prompt.source)/ after login; "
                + "the device printed: \(Self.excerpt(pending))")
        }
        if let enable = platform.enable, enable.unprivilegedPrompt.matches(lastPrompt) {
            try enterEnable(enable, secret: enableSecret)
        }
        for command in platform.afterLogin {
            // Paging and width commands are best effort: an old image may not know "terminal width".
            _ = try run(command, checkErrors: false)
        }
    }

    private mutating func enterEnable(_ enable: EnableRules, secret: Secret?) throws {
        let prompt = platform.prompt
        try send(enable.command)
        let text = try readUntil(context: "the enable password prompt") { tail in
            enable.passwordPrompt.matches(tail) || prompt.matches(tail)
        }
        if enable.passwordPrompt.matches(Self.lastLine(text)) {
            guard let secret else {
                throw CaptureError(.authenticationFailed, "the device asks for an enable password and the credential set has none")
            }
            pending.removeAll(keepingCapacity: true)
            try channel.write(secret.value + "\n")
            let answer = try readUntil(context: "the prompt after the enable password") { tail in
                prompt.matches(tail) || enable.passwordPrompt.matches(tail)
            }
            if enable.passwordPrompt.matches(Self.lastLine(answer)) || (enable.failure?.matches(answer) ?? false) {
                throw CaptureError(.authenticationFailed, "enable password refused")
            }
        }
        if enable.unprivilegedPrompt.matches(lastPrompt) {
            throw CaptureError(.authenticationFailed, "still unprivileged after '\(enable.command)' (prompt \(lastPrompt))")
        }
    }

    /// Runs `command` and returns its output.
    /// - Throws: `CaptureError` `.commandRejected` when the output matches one of the platform's error patterns.
    public mutating func run(_ command: String, checkErrors: Bool = true) throws -> String {
        try send(command)
        let text = try readUntilPrompt(context: "the prompt after '\(command)'")
        // The echo (first line) and the new prompt (last line) go, and so do the pager's prompts.
        let output = CommandOutput.body(of: text, command: command, pager: platform.pager?.pattern)
        if checkErrors, let rejected = platform.errors.first(where: { $0.matches(output) }) {
            let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
            let line = lines.first { rejected.matches(String($0)) }.map(String.init) ?? ""
            throw CaptureError(.commandRejected, "'\(command)' was rejected: \(line.trimmingCharacters(in: .whitespaces))")
        }
        return output
    }

    /// Ends the session politely; errors are irrelevant by then.
    public mutating func finish() {
        if let exit = platform.exitCommand { try? channel.write(exit + "\n") }
    }

    private mutating func send(_ command: String) throws {
        logger?.info("command sent", metadata: ["command": "\(command)"])
        pending.removeAll(keepingCapacity: true)
        try channel.write(command + "\n")
    }

    private mutating func readUntilPrompt(context: String) throws -> String {
        let prompt = platform.prompt
        return try readUntil(context: context) { prompt.matches($0) }
    }

    /// Reads until `done` accepts the last line of the output (which must not end in a newline), answering pager
    /// prompts on the way. Returns everything rendered since the last command.
    private mutating func readUntil(context: String, done: (String) -> Bool) throws -> String {
        var lastData = ContinuousClock.now
        // Where the last pager prompt was answered. The prompt still renders until its erasure has fully arrived (a
        // chunk of backspaces leaves it intact), and its tail may still be arriving: answer again only once a new line
        // has started, or one prompt gets two keys and the device skips a page.
        var pagerAnsweredAt: Int?
        while true {
            let now = ContinuousClock.now
            if now >= deadline {
                throw CaptureError(.timeout, "overall timeout waiting for \(context)")
            }
            if now - lastData >= commandTimeout {
                throw CaptureError(.timeout, "no answer for \(commandTimeout.seconds)s waiting for \(context); last output: \(Self.excerpt(pending))")
            }
            let wait = min(commandTimeout - (now - lastData), deadline - now, .milliseconds(500))
            let bytes: [UInt8]
            do {
                bytes = try channel.read(timeout: wait)
            } catch let error as CaptureError {
                throw error
            } catch {
                throw CaptureError(.connectionLost, "connection lost waiting for \(context) after \(pending.count) bytes: \(error)")
            }
            if bytes.isEmpty { continue }
            lastData = ContinuousClock.now
            pending.append(contentsOf: bytes)
            if pending.last == 0x0A { continue }
            let tail = TerminalText.render(pending.suffix(Self.tailWindow))
            let last = Self.lastLine(tail)
            if let pager = platform.pager, pager.pattern.matches(last) {
                if let answered = pagerAnsweredAt, !pending[answered...].contains(0x0A) { continue }
                try channel.write(pager.send)
                pagerAnsweredAt = pending.count
                continue
            }
            if done(last) {
                lastPrompt = last.trimmingCharacters(in: .whitespaces)
                return TerminalText.render(pending)
            }
        }
    }

    static func lastLine(_ text: String) -> String {
        guard let newline = text.lastIndex(of: "\n") else { return text }
        return String(text[text.index(after: newline)...])
    }

    /// The end of what the device printed, readable, for error messages.
    static func excerpt(_ bytes: [UInt8]) -> String {
        let text = TerminalText.render(bytes.suffix(200))
        return text.isEmpty ? "(nothing)" : "'" + text.replacingOccurrences(of: "\n", with: "⏎") + "'"
    }
}
