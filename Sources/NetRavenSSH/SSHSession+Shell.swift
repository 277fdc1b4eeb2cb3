internal import CLibSSH

extension SSHSession {
    /// Opens a session channel with a `vt100` pty and starts the login shell.
    ///
    /// The defaults are chosen for config collection: 511 columns so devices do not wrap long lines, and
    /// 0 rows, which devices such as Cisco IOS take as "terminal length 0" (no `--More--` paging).
    public func openShell(terminalWidth: Int = 511, terminalHeight: Int = 0) throws {
        let session = try liveSession()
        guard isConnected else { throw SSHError(.protocolError, "openShell called before connect") }
        guard channel == nil else { throw SSHError(.channelFailed, "a shell is already open on \(endpoint)") }
        guard let channel = ssh_channel_new(session) else {
            throw SSHError(.channelFailed, "cannot allocate a channel: \(lastError())")
        }
        if ssh_channel_open_session(channel) != SSH_OK {
            let text = lastError()
            ssh_channel_free(channel)
            throw SSHError(channelFailureCode(), "server refused a session channel: \(text)")
        }
        self.channel = channel
        let (columns, rows) = (Int32(clamping: terminalWidth), Int32(clamping: terminalHeight))
        let requested = ContinuousClock.now
        if ssh_channel_request_pty_size(channel, "vt100", columns, rows) != SSH_OK {
            throw SSHError(channelFailureCode(since: requested), "server refused the pty request: \(lastError())")
        }
        if ssh_channel_request_shell(channel) != SSH_OK {
            throw SSHError(channelFailureCode(since: requested), "server refused the shell request: \(lastError())")
        }
    }

    /// Sends `text` (UTF-8) to the shell; add `"\n"` yourself.
    public func write(_ text: String) throws {
        let channel = try liveChannel()
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                ssh_channel_write(channel, buffer.baseAddress! + offset, UInt32(buffer.count - offset))
            }
            if written < 0 {
                throw SSHError(.connectionLost, "write to \(endpoint) failed: \(lastError())")
            }
            offset += Int(written)
        }
    }

    /// Waits up to `timeout` for output and returns what arrived (stdout, then any stderr); `[]` on timeout.
    ///
    /// Throws `.connectionLost` once the server closed the channel (shell exited, `exit`, reboot) and all
    /// buffered output has been returned, or when the connection fails.
    public func read(timeout: Duration) throws -> [UInt8] {
        let channel = try liveChannel()
        var output = try readStream(channel, stderr: false, timeout: timeout)
        // With a pty the server merges stderr into stdout; without one (some devices) it may not.
        if ssh_channel_poll(channel, 1) > 0 {
            output += try readStream(channel, stderr: true, timeout: .zero)
        }
        if output.isEmpty && (ssh_channel_is_eof(channel) != 0 || ssh_channel_is_closed(channel) != 0) {
            throw SSHError(.connectionLost, "\(endpoint) closed the shell channel")
        }
        return output
    }

    private func readStream(_ channel: OpaquePointer, stderr: Bool, timeout: Duration) throws -> [UInt8] {
        let (seconds, attoseconds) = max(timeout, .zero).components
        let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        var buffer = [UInt8](repeating: 0, count: 32 * 1024)
        let count = buffer.withUnsafeMutableBytes { raw in
            ssh_channel_read_timeout(channel, raw.baseAddress, UInt32(raw.count), stderr ? 1 : 0, milliseconds)
        }
        if count == SSH_ERROR {
            throw SSHError(.connectionLost, "read from \(endpoint) failed: \(lastError())")
        }
        // SSH_AGAIN cannot happen on a blocking session; treat anything non-positive as "nothing yet".
        return count > 0 ? Array(buffer[0..<Int(count)]) : []
    }

    private func liveChannel() throws -> OpaquePointer {
        _ = try liveSession()
        guard let channel else { throw SSHError(.channelFailed, "no shell open on \(endpoint); call openShell") }
        return channel
    }

    /// A refused request on a dead connection is a lost connection, not a refusal.
    /// libssh reports an unanswered request as a bare failure once its timeout expires (no reason, no code): a
    /// server silent for that long is hung, which is a timeout, not a refusal.
    private func channelFailureCode(since requested: ContinuousClock.Instant? = nil) -> SSHError.Code {
        guard let session, ssh_is_connected(session) != 0 else { return .connectionLost }
        if let requested, ContinuousClock.now - requested >= target.connectTimeout * 0.9 { return .timeout }
        return .channelFailed
    }
}
