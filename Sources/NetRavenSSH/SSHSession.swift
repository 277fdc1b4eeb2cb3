import NetRavenCore
internal import CLibSSH
internal import Glibc

/// One libssh client session to one device: connect, host-key check, authenticate, one interactive shell.
///
/// **Thread confinement.** libssh forbids using a session and its channels from two threads at once, and
/// every call here blocks. An `SSHSession` is therefore not `Sendable` and must stay on the thread that
/// created it: create, use and close it inside one `SSHWorkerPool.run { }` closure (a dedicated thread, never
/// Swift's cooperative pool). Each method checks this with a `precondition`.
public final class SSHSession {
    let target: SSHTarget
    /// The libssh handle; nil once closed.
    var session: OpaquePointer?
    /// The shell channel, once `openShell` succeeded.
    var channel: OpaquePointer?
    var isConnected = false
    private let owner: pthread_t

    /// Creates the libssh session and applies the target's options; does not touch the network.
    public init(target: SSHTarget) throws {
        _ = libsshQuiet
        self.target = target
        self.owner = pthread_self()
        guard let session = ssh_new() else {
            throw SSHError(.invalidTarget, "ssh_new failed (out of memory?)")
        }
        self.session = session
        do {
            try applyOptions(session)
        } catch {
            ssh_free(session)
            self.session = nil
            throw error
        }
    }

    deinit {
        close()
    }

    /// Opens the TCP connection, runs the handshake and checks the host key against `target.hostKeyPolicy`.
    ///
    /// Throws `.unreachable`, `.timeout`, `.protocolError` (e.g. no common algorithm), `.hostKeyChanged`,
    /// `.hostKeyUnknown` or `.knownHostsFailed`.
    public func connect() throws -> HostKeyVerdict {
        let session = try liveSession()
        if ssh_connect(session) != SSH_OK {
            let text = lastError()
            throw SSHError(Self.classifyConnectFailure(text), "connect to \(endpoint) failed: \(text)")
        }
        isConnected = true
        return try verifyHostKey()
    }

    /// Closes the shell channel and the connection and frees libssh's memory. Idempotent.
    public func close() {
        if let channel {
            if ssh_channel_is_open(channel) != 0 {
                ssh_channel_close(channel)
            }
            ssh_channel_free(channel)
            self.channel = nil
        }
        if let session {
            if isConnected {
                ssh_disconnect(session)
                isConnected = false
            }
            ssh_free(session)
            self.session = nil
        }
    }

    // MARK: - Internals shared by the extensions

    /// `host:port`, for messages.
    var endpoint: String { "\(target.host):\(target.port)" }

    /// The session handle, after checking the calling thread; throws once closed.
    func liveSession() throws -> OpaquePointer {
        precondition(
            pthread_equal(pthread_self(), owner) != 0,
            "SSHSession used from a thread other than the one that created it; use SSHWorkerPool.run"
        )
        guard let session else {
            throw SSHError(.connectionLost, "session to \(endpoint) is closed")
        }
        return session
    }

    /// libssh's error text for this session; read right after the failing call.
    func lastError() -> String {
        guard let session, let text = ssh_get_error(UnsafeMutableRawPointer(session)) else { return "" }
        let message = String(cString: text)
        return message.isEmpty ? "(libssh gave no reason)" : message
    }

    /// Maps libssh's connect failure text to a code. libssh 0.10 has no error codes for these cases
    /// (`ssh_get_error_code` only says SSH_FATAL), so its message is the only signal.
    static func classifyConnectFailure(_ text: String) -> SSHError.Code {
        let lower = text.lowercased()
        let unreachable = [
            "connection refused", "no route to host", "network is unreachable", "host is unreachable",
            "failed to resolve", "name or service not known", "temporary failure in name resolution",
        ]
        if unreachable.contains(where: lower.contains) { return .unreachable }
        if lower.contains("timeout") || lower.contains("timed out") { return .timeout }
        if lower.contains("disconnected") || lower.contains("connection reset") || lower.contains("broken pipe") {
            return .connectionLost
        }
        return .protocolError
    }

    private func applyOptions(_ session: OpaquePointer) throws {
        var processConfig = false  // never read ~/.ssh/config or /etc/ssh/ssh_config: the target says it all
        try set(session, SSH_OPTIONS_PROCESS_CONFIG, &processConfig, "PROCESS_CONFIG")
        var verbosity = Int32(SSH_LOG_NOLOG)
        try set(session, SSH_OPTIONS_LOG_VERBOSITY, &verbosity, "LOG_VERBOSITY")
        try set(session, SSH_OPTIONS_HOST, target.host, "HOST")
        guard (1...65535).contains(target.port) else {
            throw SSHError(.invalidTarget, "port \(target.port) out of range")
        }
        var port = UInt32(target.port)
        try set(session, SSH_OPTIONS_PORT, &port, "PORT")
        try set(session, SSH_OPTIONS_USER, target.username, "USER")

        let (seconds, attoseconds) = max(target.connectTimeout, .milliseconds(1)).components
        var timeoutSeconds = Int(seconds)
        var timeoutMicroseconds = Int(attoseconds / 1_000_000_000_000)
        try set(session, SSH_OPTIONS_TIMEOUT, &timeoutSeconds, "TIMEOUT")
        try set(session, SSH_OPTIONS_TIMEOUT_USEC, &timeoutMicroseconds, "TIMEOUT_USEC")

        try set(session, SSH_OPTIONS_KNOWNHOSTS, target.knownHostsPath, "KNOWNHOSTS")
        // Only NetRaven's own file decides; a stale system-wide entry must not make a host "known".
        try set(session, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null", "GLOBAL_KNOWNHOSTS")

        let algorithms = target.algorithms
        try setList(session, SSH_OPTIONS_KEY_EXCHANGE, algorithms.kex, "KEY_EXCHANGE")
        try setList(session, SSH_OPTIONS_HOSTKEYS, algorithms.hostKeys, "HOSTKEYS")
        try setList(session, SSH_OPTIONS_PUBLICKEY_ACCEPTED_TYPES, algorithms.hostKeys, "PUBLICKEY_ACCEPTED_TYPES")
        try setList(session, SSH_OPTIONS_CIPHERS_C_S, algorithms.ciphers, "CIPHERS_C_S")
        try setList(session, SSH_OPTIONS_CIPHERS_S_C, algorithms.ciphers, "CIPHERS_S_C")
        try setList(session, SSH_OPTIONS_HMAC_C_S, algorithms.macs, "HMAC_C_S")
        try setList(session, SSH_OPTIONS_HMAC_S_C, algorithms.macs, "HMAC_S_C")
    }

    private func set(_ session: OpaquePointer, _ option: ssh_options_e, _ value: String, _ name: String) throws {
        let rc = value.withCString { ssh_options_set(session, option, $0) }
        if rc != SSH_OK {
            throw SSHError(.invalidTarget, "setting \(name) to \"\(value)\" failed: \(lastError())")
        }
    }

    private func set<T>(_ session: OpaquePointer, _ option: ssh_options_e, _ value: inout T, _ name: String) throws {
        let rc = withUnsafePointer(to: &value) { ssh_options_set(session, option, $0) }
        if rc != SSH_OK {
            throw SSHError(.invalidTarget, "setting \(name) to \(value) failed: \(lastError())")
        }
    }

    private func setList(_ session: OpaquePointer, _ option: ssh_options_e, _ list: [String], _ name: String) throws {
        guard !list.isEmpty else { throw SSHError(.invalidTarget, "algorithm list \(name) is empty") }
        try set(session, option, list.joined(separator: ","), name)
    }
}

/// Sessions are confined to one thread; see the type's documentation.
@available(*, unavailable)
extension SSHSession: Sendable {}

/// libssh logs to stderr when its global level is raised (e.g. by `LIBSSH_DEBUG`); a daemon keeps it silent.
/// Evaluated once, before the first session.
private let libsshQuiet: Void = {
    ssh_init()
    ssh_set_log_level(Int32(SSH_LOG_NOLOG))
}()
