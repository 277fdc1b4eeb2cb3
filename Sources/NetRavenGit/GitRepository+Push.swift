internal import CLibGit2
internal import Foundation

extension GitRepository {
    /// Pushes HEAD's branch to `remote.branch` without force; see `ConfigArchive.push`.
    func push(_ remote: PushRemote) throws -> PushResult {
        let repo = try repository()
        let scrub = Scrubber(remote: remote)
        guard let head = try headCommit() else {
            throw ArchiveError(.notFound, "nothing to push: the archive has no commits")
        }
        let headID = hex(git_commit_id(head.pointer).pointee)
        let localRef = try headBranch()
        let remoteRef = "refs/heads/\(remote.branch)"
        var valid: Int32 = 0
        guard git_reference_name_is_valid(&valid, remoteRef) == 0, valid == 1 else {
            throw ArchiveError(.pushFailed, "invalid remote branch name '\(remote.branch)'")
        }
        let endpoint = RemoteURL.sshEndpoint(remote.url)
        if endpoint != nil, git_libgit2_features() & Int32(GIT_FEATURE_SSH.rawValue) == 0 {
            throw ArchiveError(.pushFailed, "this libgit2 was built without SSH support")
        }
        let isHTTPS = RemoteURL.isHTTPS(remote.url)
        if isHTTPS, git_libgit2_features() & Int32(GIT_FEATURE_HTTPS.rawValue) == 0 {
            throw ArchiveError(.pushFailed, "this libgit2 was built without HTTPS support")
        }

        var remotePointer: OpaquePointer?
        var result = git_remote_create_anonymous(&remotePointer, repo, remote.url)
        guard result == 0, let remoteHandle = remotePointer else {
            throw scrub(ArchiveError.git(.pushFailed, "invalid remote \(RemoteURL.redacted(remote.url))", result))
        }
        defer { git_remote_free(remoteHandle) }

        let context = PushContext(
            credentials: remote.credentials, verifier: HostKeyVerifier(policy: remote.hostKeyPolicy),
            endpoint: endpoint)
        var options = git_push_options()
        result = git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION))
        guard result == 0 else { throw ArchiveError.git(.pushFailed, "cannot initialise push options", result) }
        options.callbacks.payload = Unmanaged.passUnretained(context).toOpaque()
        options.callbacks.credentials = { out, _, usernameFromURL, allowedTypes, payload in
            guard let out, let payload else { return -1 }
            let context = Unmanaged<PushContext>.fromOpaque(payload).takeUnretainedValue()
            return context.acquireCredential(
                out, usernameFromURL: usernameFromURL.map { String(cString: $0) }, allowedTypes: allowedTypes)
        }
        options.callbacks.certificate_check = { cert, _, host, payload in
            guard let cert, let payload else { return -1 }
            let context = Unmanaged<PushContext>.fromOpaque(payload).takeUnretainedValue()
            return context.checkCertificate(cert, host: host.map { String(cString: $0) })
        }
        options.callbacks.push_negotiation = { updates, count, payload in
            guard let updates, let payload else { return 0 }
            let context = Unmanaged<PushContext>.fromOpaque(payload).takeUnretainedValue()
            for index in 0..<count {
                guard let update = updates[index] else { continue }
                let name = update.pointee.dst_refname.map { String(cString: $0) } ?? ""
                context.remoteTargets[name] = hex(update.pointee.src)
            }
            return 0
        }
        options.callbacks.push_update_reference = { refname, status, payload in
            guard let payload else { return 0 }
            let context = Unmanaged<PushContext>.fromOpaque(payload).takeUnretainedValue()
            let name = refname.map { String(cString: $0) } ?? "?"
            if let status {
                context.rejections.append((name, String(cString: status)))
            }
            return 0
        }
        options.callbacks.sideband_progress = { text, length, payload in
            guard let text, let payload, length > 0 else { return 0 }
            let context = Unmanaged<PushContext>.fromOpaque(payload).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: text, count: Int(length))
            context.remoteOutput += String(decoding: bytes, as: UTF8.self)
            return 0
        }

        // No "+": the remote's branch is only ever fast-forwarded.
        let refspec = "\(localRef):\(remoteRef)"
        var failure = ""
        func send() -> Int32 {
            refspec.withCString { spec in
                var strings: [UnsafeMutablePointer<CChar>?] = [UnsafeMutablePointer(mutating: spec)]
                return strings.withUnsafeMutableBufferPointer { buffer in
                    var array = git_strarray(strings: buffer.baseAddress, count: 1)
                    let pushed = git_remote_push(remoteHandle, &array, &options)
                    if pushed != 0 { failure = lastGitErrorText(pushed) }
                    return pushed
                }
            }
        }
        // https: libgit2's trust chain is process-wide, so the push holds it (see TLSTrust).
        result = isHTTPS ? try TLSTrust.withAuthorities(caFile: remote.caFile, send) : send()
        withExtendedLifetime(context) {}

        let target = "\(RemoteURL.redacted(remote.url)) \(remoteRef)"
        if let error = context.error { throw scrub(error) }
        if result != 0 {
            let code: ArchiveError.Code =
                switch result {
                case GIT_ENONFASTFORWARD.rawValue: .pushRejected
                case GIT_EAUTH.rawValue: .authenticationFailed
                case GIT_ECERTIFICATE.rawValue: isHTTPS ? .certificateUntrusted : .hostKeyMismatch
                default: .pushFailed
                }
            throw scrub(ArchiveError(code, "push to \(target) failed: \(failure)\(context.remoteOutputSuffix)"))
        }
        if !context.rejections.isEmpty {
            let reasons = context.rejections.map { "\($0.ref): \($0.status)" }.joined(separator: "; ")
            throw scrub(
                ArchiveError(.pushRejected, "\(target) rejected the push (\(reasons))\(context.remoteOutputSuffix)"))
        }
        let previous = context.remoteTargets[remoteRef].flatMap { $0 == String(repeating: "0", count: 40) ? nil : $0 }
        return PushResult(
            pushedCommit: headID,
            previousRemoteCommit: previous,
            remoteRef: remoteRef,
            wasUpToDate: context.remoteTargets[remoteRef] == nil || previous == headID)
    }
}

/// State shared with libgit2's push callbacks through their `void *payload` (passed unretained; `push` keeps it
/// alive). Used only on the archive's thread, during the synchronous `git_remote_push` call.
private final class PushContext {
    let credentials: PushRemote.Credentials
    let verifier: HostKeyVerifier
    let endpoint: String?
    /// libgit2 calls the credentials callback again after every failed attempt, forever: one real try is enough.
    private let maxCredentialAttempts = 1
    private var credentialAttempts = 0
    private var usernameAttempts = 0
    /// First error raised inside a callback; rethrown after `git_remote_push` returns.
    var error: ArchiveError?
    var rejections: [(ref: String, status: String)] = []
    var remoteTargets: [String: String] = [:]
    var remoteOutput = ""

    init(credentials: PushRemote.Credentials, verifier: HostKeyVerifier, endpoint: String?) {
        self.credentials = credentials
        self.verifier = verifier
        self.endpoint = endpoint
    }

    var remoteOutputSuffix: String {
        let lines = remoteOutput.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        let text = lines.filter { !$0.isEmpty }.joined(separator: " | ")
        return text.isEmpty ? "" : "; remote said: \(text)"
    }

    func acquireCredential(
        _ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>,
        usernameFromURL: String?,
        allowedTypes: UInt32
    ) -> Int32 {
        let username: String
        switch credentials {
        case .none:
            return fail(.authenticationFailed, "the remote asks for credentials but none are configured")
        case .sshKey(let user, _, _, _), .token(let user, _), .password(let user, _):
            username = user
        }
        let secretTypes = GIT_CREDENTIAL_SSH_KEY.rawValue | GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue
        if allowedTypes & GIT_CREDENTIAL_USERNAME.rawValue != 0, allowedTypes & secretTypes == 0 {
            usernameAttempts += 1
            guard usernameAttempts <= 1 else { return fail(.authenticationFailed, "user \(username) was refused") }
            return git_credential_username_new(out, username)
        }
        credentialAttempts += 1
        guard credentialAttempts <= maxCredentialAttempts else {
            // libgit2's error from the failed attempt is still this thread's last error.
            let reason = git_error_last()?.pointee.message.map { ": " + String(cString: $0) } ?? ""
            return fail(.authenticationFailed, "the remote rejected the credentials (\(credentials))\(reason)")
        }
        switch credentials {
        case .none:
            return -1
        case .sshKey(_, let privateKey, let publicKey, let passphrase):
            guard allowedTypes & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 else {
                return fail(.authenticationFailed, "the remote does not offer public-key authentication")
            }
            let defaultPublic = privateKey + ".pub"
            let publicPath = publicKey ?? (FileManager.default.fileExists(atPath: defaultPublic) ? defaultPublic : nil)
            return git_credential_ssh_key_new(out, username, publicPath, privateKey, passphrase)
        case .token(_, let secret), .password(_, let secret):
            guard allowedTypes & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 else {
                return fail(.authenticationFailed, "the remote does not offer password authentication")
            }
            return git_credential_userpass_plaintext_new(out, username, secret)
        }
    }

    func checkCertificate(_ cert: UnsafeMutablePointer<git_cert>, host: String?) -> Int32 {
        // X.509 (https): keep libgit2's own verification of the certificate chain.
        guard cert.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else { return GIT_PASSTHROUGH.rawValue }
        let hostKey = UnsafeRawPointer(cert).assumingMemoryBound(to: git_cert_hostkey.self).pointee
        let endpoint = self.endpoint ?? "\(host ?? "unknown"):22"
        guard hostKey.type.rawValue & GIT_CERT_SSH_SHA256.rawValue != 0 else {
            return fail(.hostKeyMismatch, "\(endpoint) offered no SHA-256 host key fingerprint")
        }
        let digest = withUnsafeBytes(of: hostKey.hash_sha256) { Array($0) }
        do {
            try verifier.verify(endpoint: endpoint, fingerprint: HostKeyVerifier.fingerprint(sha256: digest))
            return 0
        } catch let error as ArchiveError {
            self.error = self.error ?? error
            return GIT_ECERTIFICATE.rawValue
        } catch {
            return fail(.io, "host key check failed: \(error)")
        }
    }

    private func fail(_ code: ArchiveError.Code, _ message: String) -> Int32 {
        if error == nil { error = ArchiveError(code, message) }
        return GIT_EUSER.rawValue
    }
}

/// Removes the remote's secrets from error text, whatever produced it (libgit2, the server, us).
private struct Scrubber {
    let secrets: [String]
    let url: String

    init(remote: PushRemote) {
        secrets = remote.credentials.secrets.filter { !$0.isEmpty }
        url = remote.url
    }

    func callAsFunction(_ error: ArchiveError) -> ArchiveError {
        var scrubbed = error
        var message = error.message.replacingOccurrences(of: url, with: RemoteURL.redacted(url))
        for secret in secrets {
            message = message.replacingOccurrences(of: secret, with: "<redacted>")
        }
        scrubbed.message = message
        return scrubbed
    }
}
