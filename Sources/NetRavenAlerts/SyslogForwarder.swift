import Foundation
import Glibc
import NIOPosix
import NetRavenCore

/// Forwards alerts as RFC 5424 lines over UDP or TCP (octet-counted framing, RFC 6587): one line per alert told
/// in full and one for the digest. Sockets are blocking and used on the dispatcher's own threads.
struct SyslogForwarder {
    let settings: AlertDestination.SyslogForwardSettings
    let destination: String
    let threads: NIOThreadPool

    /// UDP lines are cut to this many bytes (RFC 5426: every receiver takes 2048 octets).
    static let udpLimit = 2048
    /// The structured-data id: 32473 is the enterprise number RFC 5612 reserves for examples and documentation.
    static let structuredDataID = "netraven@32473"

    func deliver(_ batch: AlertBatch) async throws {
        let host = settings.hostname ?? ProcessInfo.processInfo.hostName
        let options = settings
        var lines = batch.alerts.map { Self.line(for: $0, settings: options, hostname: host) }
        if let digest = batch.digest {
            lines.append(
                Self.line(for: digest, toldInFull: batch.alerts.count, settings: settings, hostname: host, time: Date())
            )
        }
        let name = destination
        let finished = lines
        try await threads.runIfActive { try Self.send(finished, settings: options, destination: name) }
    }

    /// The syslog severity for an alert severity, unless the destination fixes one.
    static func syslogSeverity(_ severity: AlertSeverity, settings: AlertDestination.SyslogForwardSettings) -> Int {
        if let fixed = settings.severity { return fixed }
        switch severity {
        case .critical: return 2
        case .warning: return 4
        case .info: return 6
        }
    }

    static func line(
        for alert: Alert, settings: AlertDestination.SyslogForwardSettings, hostname: String
    ) -> String {
        var parameters = [
            ("kind", alert.kind.rawValue), ("device", alert.device), ("group", alert.group),
            ("severity", alert.severity.rawValue),
        ]
        if let verdict = alert.verdict { parameters.append(("verdict", verdict.kind.rawValue)) }
        if let failure = alert.failure {
            parameters += [("failure", failure.rawValue), ("count", "\(alert.consecutiveFailures)")]
        }
        if !alert.users.isEmpty { parameters.append(("users", alert.users.joined(separator: ","))) }
        if let commit = alert.commit { parameters.append(("commit", commit)) }
        if !alert.reasons.isEmpty { parameters.append(("reasons", alert.reasons.map(\.code).joined(separator: ","))) }
        let reasons = alert.reasons.map(\.description).joined(separator: "; ")
        let message = reasons.isEmpty ? alert.summary : "\(alert.summary): \(reasons)"
        return format(
            priority: settings.facility * 8 + syslogSeverity(alert.severity, settings: settings), time: alert.time,
            hostname: hostname, messageID: alert.kind.rawValue.uppercased(), parameters: parameters, message: message)
    }

    static func line(
        for digest: AlertDigest, toldInFull: Int, settings: AlertDestination.SyslogForwardSettings, hostname: String,
        time: Date
    ) -> String {
        var parameters = [("count", "\(digest.count)"), ("devices", "\(digest.devices.count)")]
        parameters += digest.verdicts.sorted { $0.key > $1.key }.map { ($0.key, "\($0.value)") }
        parameters += digest.failures.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") }
        let more = toldInFull > 0 ? " more" : ""
        let message =
            "\(digest.count)\(more) alerts on \(digest.devices.count) devices: "
            + digest.devices.joined(separator: " ")
        return format(
            priority: settings.facility * 8 + syslogSeverity(digest.severity, settings: settings), time: time,
            hostname: hostname, messageID: "DIGEST", parameters: parameters, message: message)
    }

    /// `<PRI>1 TIMESTAMP HOSTNAME netraven PROCID MSGID [SD] MSG`.
    static func format(
        priority: Int, time: Date, hostname: String, messageID: String, parameters: [(String, String)],
        message: String
    ) -> String {
        let timestamp = time.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true)
                .timeSeparator(.colon).dateSeparator(.dash).dateTimeSeparator(.standard).timeZone(separator: .omitted))
        let sd = parameters.map { "\($0.0)=\"\(escapeParameter($0.1))\"" }.joined(separator: " ")
        let host = hostname.isEmpty ? "-" : String(hostname.filter { $0.isASCII && !$0.isWhitespace }.prefix(255))
        let text = message.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        return
            "<\(priority)>1 \(timestamp) \(host) netraven \(getpid()) \(messageID) [\(structuredDataID) \(sd)] \(text)"
    }

    /// RFC 5424 §6.3.3: `"`, `\` and `]` are escaped in parameter values.
    static func escapeParameter(_ value: String) -> String {
        var result = ""
        for character in value {
            if character == "\"" || character == "\\" || character == "]" { result.append("\\") }
            result.append(character == "\n" || character == "\r" ? " " : character)
        }
        return result
    }

    private static func send(
        _ lines: [String], settings: AlertDestination.SyslogForwardSettings, destination: String
    ) throws {
        let tcp = settings.transport == .tcp
        var hints = addrinfo()
        hints.ai_socktype = Int32(tcp ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(settings.host, "\(settings.port)", &hints, &list)
        guard resolved == 0, let first = list else {
            throw AlertError(
                .unreachable, destination: destination,
                "cannot resolve \(settings.host): \(String(cString: gai_strerror(resolved)))")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw AlertError(.unreachable, destination: destination, "socket() failed: errno \(errno)")
        }
        defer { close(fd) }
        // Linux applies the send timeout to connect too: a silent server fails the delivery instead of hanging it.
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            let reason = String(cString: strerror(errno))
            throw AlertError(
                errno == EAGAIN || errno == EINPROGRESS ? .timeout : .unreachable, destination: destination,
                "cannot connect to \(settings.host):\(settings.port) over \(settings.transport.rawValue): \(reason)")
        }
        for line in lines {
            var bytes = Array(line.utf8)
            if tcp {
                bytes = Array("\(bytes.count) ".utf8) + bytes
            } else if bytes.count > udpLimit {
                bytes = Array(bytes.prefix(udpLimit))
            }
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes {
                    Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                if sent < 0 {
                    if errno == EINTR { continue }
                    let reason = String(cString: strerror(errno))
                    let peer = "\(settings.host):\(settings.port) over \(settings.transport.rawValue)"
                    throw AlertError(.unreachable, destination: destination, "cannot send to \(peer): \(reason)")
                }
                offset += sent
            }
        }
    }
}
