internal import Foundation

/// Decides whether an SSH host key is acceptable under a `PushRemote.HostKeyPolicy`.
///
/// Fingerprints use OpenSSH's format: `SHA256:` + base64 of the key's SHA-256 without `=` padding, so they can be
/// compared with `ssh-keygen -lf key.pub` output. The trust-on-first-use store is a plain text file owned by the
/// archive, one `host:port SHA256:...` line per endpoint.
struct HostKeyVerifier {
    let policy: PushRemote.HostKeyPolicy

    /// OpenSSH-style fingerprint of a raw SHA-256 digest.
    static func fingerprint(sha256 digest: [UInt8]) -> String {
        "SHA256:" + Data(digest).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    /// Normalizes a user-supplied fingerprint (`SHA256:` prefix optional, padding optional).
    static func normalized(_ fingerprint: String) -> String {
        var body = fingerprint.trimmingCharacters(in: .whitespaces)
        if body.lowercased().hasPrefix("sha256:") { body = String(body.dropFirst("sha256:".count)) }
        while body.hasSuffix("=") { body.removeLast() }
        return "SHA256:" + body
    }

    /// Throws `.hostKeyMismatch` (or `.io` for an unreadable store) unless `fingerprint` is acceptable for
    /// `endpoint` (`host:port`). Records first-seen keys in the trust-on-first-use store.
    func verify(endpoint: String, fingerprint: String) throws {
        switch policy {
        case .insecureAcceptAny:
            return
        case .pinned(let pin):
            let expected = Self.normalized(pin)
            guard expected == fingerprint else {
                throw ArchiveError(
                    .hostKeyMismatch, "host key of \(endpoint) is \(fingerprint), pinned key is \(expected)")
            }
        case .trustOnFirstUse(let file):
            let known = try Self.load(file)
            if let recorded = known[endpoint] {
                guard recorded == fingerprint else {
                    throw ArchiveError(
                        .hostKeyMismatch,
                        "host key of \(endpoint) changed: now \(fingerprint), recorded \(recorded) in \(file)")
                }
                return
            }
            try Self.append(endpoint: endpoint, fingerprint: fingerprint, to: file)
        }
    }

    /// Parses the store; a missing file is an empty store.
    static func load(_ file: String) throws -> [String: String] {
        guard FileManager.default.fileExists(atPath: file) else { return [:] }
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ArchiveError(.io, "cannot read known-hosts store \(file)", underlying: error)
        }
        var entries: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, !fields[0].hasPrefix("#") else { continue }
            entries[String(fields[0])] = normalized(String(fields[1]))
        }
        return entries
    }

    private static func append(endpoint: String, fingerprint: String, to file: String) throws {
        let line = Data("\(endpoint) \(fingerprint)\n".utf8)
        do {
            let directory = (file as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            if !FileManager.default.fileExists(atPath: file) {
                guard FileManager.default.createFile(atPath: file, contents: nil) else {
                    throw ArchiveError(.io, "cannot create known-hosts store \(file)")
                }
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: line)
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw ArchiveError(.io, "cannot record host key in \(file)", underlying: error)
        }
    }
}
