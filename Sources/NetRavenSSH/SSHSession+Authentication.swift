internal import CLibSSH

extension SSHSession {
    /// Logs in as `target.username`.
    ///
    /// Order: `none` first (it also fetches the methods the server allows), then for a password the
    /// `password` method and then `keyboard-interactive` (answering every non-echoed prompt with the password
    /// and echoed prompts with the user name); for a key, `publickey`. Throws `.authenticationFailed` with the
    /// methods the server allows; the secret never appears in the error.
    public func authenticate(_ auth: SSHAuth) throws {
        let session = try liveSession()
        guard isConnected else { throw SSHError(.protocolError, "authenticate called before connect") }

        let none = ssh_userauth_none(session, nil)
        if none == SSH_AUTH_SUCCESS.rawValue { return }
        try checkAuthTransport(none, "none")
        let allowed = UInt32(bitPattern: ssh_userauth_list(session, nil))

        switch auth {
        case .password(let password):
            try authenticateWithPassword(session, password, allowed: allowed)
        case .privateKey(let path, let passphrase):
            try authenticateWithKey(session, path: path, passphrase: passphrase, allowed: allowed)
        }
    }

    private func authenticateWithPassword(_ session: OpaquePointer, _ password: String, allowed: UInt32) throws {
        // An empty list means the server did not tell; then try both.
        let offersPassword = allowed == 0 || allowed & SSH_AUTH_METHOD_PASSWORD != 0
        let offersKeyboard = allowed == 0 || allowed & SSH_AUTH_METHOD_INTERACTIVE != 0
        var attempts: [String] = []
        var serverText = ""

        if offersPassword {
            let rc = password.withCString { ssh_userauth_password(session, nil, $0) }
            if rc == SSH_AUTH_SUCCESS.rawValue { return }
            serverText = lastError()
            try checkAuthTransport(rc, "password")
            attempts.append(rc == SSH_AUTH_PARTIAL.rawValue ? "password (partial success)" : "password")
        }
        if offersKeyboard {
            let rc = try keyboardInteractive(session, password)
            if rc == SSH_AUTH_SUCCESS.rawValue { return }
            serverText = lastError()
            try checkAuthTransport(rc, "keyboard-interactive")
            let partial = rc == SSH_AUTH_PARTIAL.rawValue
            attempts.append(partial ? "keyboard-interactive (partial success)" : "keyboard-interactive")
        }
        throw authFailure(tried: attempts, allowed: allowed, serverText: serverText)
    }

    /// Runs the keyboard-interactive exchange; returns the final `ssh_auth_e` value.
    private func keyboardInteractive(_ session: OpaquePointer, _ password: String) throws -> Int32 {
        var rc = ssh_userauth_kbdint(session, nil, nil)
        var rounds = 0
        // A server may send several INFO_REQUESTs (also empty ones); bound them so a confused device
        // cannot loop us forever.
        while rc == SSH_AUTH_INFO.rawValue && rounds < 8 {
            rounds += 1
            let prompts = ssh_userauth_kbdint_getnprompts(session)
            for index in 0..<max(prompts, 0) {
                var echo: CChar = 0
                _ = ssh_userauth_kbdint_getprompt(session, UInt32(index), &echo)
                let answer = echo == 0 ? password : target.username
                let set = answer.withCString { ssh_userauth_kbdint_setanswer(session, UInt32(index), $0) }
                if set < 0 {
                    throw SSHError(.protocolError, "keyboard-interactive answer rejected locally: \(lastError())")
                }
            }
            rc = ssh_userauth_kbdint(session, nil, nil)
        }
        return rc
    }

    private func authenticateWithKey(
        _ session: OpaquePointer, path: String, passphrase: String?, allowed: UInt32
    ) throws {
        if allowed != 0 && allowed & SSH_AUTH_METHOD_PUBLICKEY == 0 {
            throw authFailure(tried: [], allowed: allowed, serverText: "server does not offer publickey")
        }
        var key: ssh_key?
        let imported: Int32
        if let passphrase {
            imported = passphrase.withCString { ssh_pki_import_privkey_file(path, $0, nil, nil, &key) }
        } else {
            imported = ssh_pki_import_privkey_file(path, nil, nil, nil, &key)
        }
        guard imported == SSH_OK, let key else {
            // libssh does not say why; the usual causes are a wrong/missing passphrase, an unreadable file
            // or an unsupported format. Never echo the passphrase.
            throw SSHError(
                .authenticationFailed,
                "cannot load private key \(path) (missing file, wrong passphrase or unsupported format)"
            )
        }
        defer { ssh_key_free(key) }
        let rc = ssh_userauth_publickey(session, nil, key)
        if rc == SSH_AUTH_SUCCESS.rawValue { return }
        let serverText = lastError()
        try checkAuthTransport(rc, "publickey")
        throw authFailure(tried: ["publickey (\(path))"], allowed: allowed, serverText: serverText)
    }

    /// `SSH_AUTH_ERROR` is a transport or protocol failure, not a rejected credential.
    private func checkAuthTransport(_ rc: Int32, _ method: String) throws {
        guard rc == SSH_AUTH_ERROR.rawValue else { return }
        let text = lastError()
        guard let session, ssh_is_connected(session) != 0 else {
            throw SSHError(.connectionLost, "connection to \(endpoint) lost during \(method) authentication: \(text)")
        }
        throw SSHError(.protocolError, "\(method) authentication with \(endpoint) failed: \(text)")
    }

    private func authFailure(tried: [String], allowed: UInt32, serverText: String) -> SSHError {
        let triedText = tried.isEmpty ? "nothing usable" : tried.joined(separator: ", ")
        var message = "authentication as \(target.username)@\(endpoint) failed; tried: \(triedText); "
            + "server allows: \(Self.methodNames(allowed))"
        if !serverText.isEmpty { message += " (\(serverText))" }
        return SSHError(.authenticationFailed, message)
    }

    static func methodNames(_ mask: UInt32) -> String {
        let names: [(UInt32, String)] = [
            (SSH_AUTH_METHOD_PUBLICKEY, "publickey"), (SSH_AUTH_METHOD_PASSWORD, "password"),
            (SSH_AUTH_METHOD_INTERACTIVE, "keyboard-interactive"), (SSH_AUTH_METHOD_HOSTBASED, "hostbased"),
            (SSH_AUTH_METHOD_GSSAPI_MIC, "gssapi-with-mic"),
        ]
        let offered = names.filter { mask & $0.0 != 0 }.map(\.1)
        return offered.isEmpty ? "(not reported)" : offered.joined(separator: ", ")
    }
}
