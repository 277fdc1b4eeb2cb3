import NetRavenCore
internal import CLibSSH

extension SSHSession {
    /// Decides on the server's key. `ssh_connect` never rejects a host key by itself (even with strict
    /// checking set), so this is the only gate.
    func verifyHostKey() throws -> HostKeyVerdict {
        let session = try liveSession()
        let (fingerprint, keyType) = try serverKeyFingerprint(session)
        if target.hostKeyPolicy == .off {
            return HostKeyVerdict(outcome: .unchecked, fingerprint: fingerprint, keyType: keyType)
        }
        let state = ssh_session_is_known_server(session)
        let path = target.knownHostsPath
        switch state {
        case SSH_KNOWN_HOSTS_OK:
            return HostKeyVerdict(outcome: .known, fingerprint: fingerprint, keyType: keyType)
        case SSH_KNOWN_HOSTS_CHANGED:
            throw SSHError(
                .hostKeyChanged,
                "host key of \(endpoint) CHANGED: server now presents \(keyType) \(fingerprint), which does not "
                    + "match \(path); possible man-in-the-middle, or the device was replaced/re-keyed"
            )
        case SSH_KNOWN_HOSTS_OTHER:
            throw SSHError(
                .hostKeyChanged,
                "host key of \(endpoint) is \(keyType) \(fingerprint), but \(path) records a key of another "
                    + "type for this host; possible man-in-the-middle"
            )
        case SSH_KNOWN_HOSTS_UNKNOWN, SSH_KNOWN_HOSTS_NOT_FOUND:
            if target.hostKeyPolicy == .strict {
                throw SSHError(
                    .hostKeyUnknown,
                    "host key of \(endpoint) (\(keyType) \(fingerprint)) is not in \(path) and policy is strict"
                )
            }
            if ssh_session_update_known_hosts(session) != SSH_OK {
                throw SSHError(.knownHostsFailed, "cannot record host key in \(path): \(lastError())")
            }
            return HostKeyVerdict(outcome: .learned, fingerprint: fingerprint, keyType: keyType)
        default:  // SSH_KNOWN_HOSTS_ERROR
            throw SSHError(.knownHostsFailed, "cannot check host key against \(path): \(lastError())")
        }
    }

    /// `SHA256:<base64>` and the key type name of the server's host key.
    private func serverKeyFingerprint(_ session: OpaquePointer) throws -> (String, String) {
        var key: ssh_key?
        guard ssh_get_server_publickey(session, &key) == SSH_OK, let key else {
            throw SSHError(.protocolError, "no host key from \(endpoint): \(lastError())")
        }
        defer { ssh_key_free(key) }
        let keyType = ssh_key_type_to_char(ssh_key_type(key)).map { String(cString: $0) } ?? "unknown"

        var hash: UnsafeMutablePointer<UInt8>?
        var length = 0
        guard ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) == SSH_OK, let hash else {
            throw SSHError(.protocolError, "cannot hash host key of \(endpoint): \(lastError())")
        }
        defer {
            var hash: UnsafeMutablePointer<UInt8>? = hash
            ssh_clean_pubkey_hash(&hash)
        }
        guard let text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length) else {
            throw SSHError(.protocolError, "cannot format host key fingerprint of \(endpoint)")
        }
        defer { ssh_string_free_char(text) }
        return (String(cString: text), keyType)
    }
}
