import Dispatch
import Foundation

/// The files a lab writes for NetRaven: an inventory and a credentials file.
enum LabFiles {
    static func inventory(_ endpoints: LabEndpoints, host: String) -> String {
        var out = "devices:\n"
        for d in endpoints.devices {
            out += "  - name: \(d.name)\n    host: \(d.host ?? host)\n    port: \(d.port)\n    platform: \(d.platform)\n"
                + "    group: lab\n    credentials: lab\n"
        }
        return out
    }

    static func credentials(username: String, password: String, enable: String) -> String {
        "credentials:\n  lab:\n    username: \(yamlQuoted(username))\n    passwords: [ \(yamlQuoted(password)) ]\n"
            + "    enable: \(yamlQuoted(enable))\n"
    }

    static func writeCredentials(to path: String, username: String, password: String, enable: String) throws {
        let text = credentials(username: username, password: password, enable: enable)
        // Created 0600 before the secret goes in, so it is never readable by others.
        _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw LabError(.io, "cannot write \(path)")
        }
        defer { try? handle.close() }
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(text.utf8))
    }

    /// A YAML double-quoted scalar.
    static func yamlQuoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// Waits for SIGINT or SIGTERM.
enum LabSignals {
    static func wait() async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let once = Locked(false)
            var sources: [any DispatchSourceSignal] = []
            for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    let first = once.withLock { fired in
                        defer { fired = true }
                        return !fired
                    }
                    if first { continuation.resume(returning: name) }
                }
                source.resume()
                sources.append(source)
            }
            // The sources must outlive this closure; the process exits after shutdown anyway.
            LabSignals.keep.withLock { $0 = sources }
        }
    }

    private static let keep = Locked<[any DispatchSourceSignal]>([])
}
