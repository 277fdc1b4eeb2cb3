/// The syslog messages a real device of each platform sends for a configuration event, framed as it frames them
/// on the wire (see docs/lab.md for the sources of each format).
///
/// - IOS: `<189>SEQ: *Nov 21 10:00:00.123: %SYS-5-CONFIG_I: ...` (no hostname; `*` = clock not NTP-synced).
/// - NX-OS: `<189>: 2026 Nov 21 10:00:00 UTC: %VSHD-5-VSHD_SYSLOG_CONFIG_I: ...` (no hostname).
/// - EOS: `<165>Nov 21 10:00:00 r3 ConfigAgent: %SYS-5-CONFIG_I: ...` (facility local4, with hostname).
/// - Junos: `<189>Nov 21 10:00:00 r4 mgd[PID]: UI_COMMIT: ...` (with hostname and the mgd process id).
struct LabSyslogFormatter {
    /// The device's name (EOS and Junos put it in the header).
    let hostname: String
    /// The mgd process id Junos prints.
    let pid: Int

    /// Message bodies (after the header) for `event`, in sending order; empty when the platform logs nothing.
    func bodies(for event: LabChangeEvent) -> [String] {
        let user = event.user
        switch event.platform {
        case .ciscoIOS:
            switch event.kind {
            case .configured:
                let on = event.channel == .api && event.source == nil ? "vty0" : "vty\(event.line ?? 0)"
                return ["%SYS-5-CONFIG_I: Configured from console by \(user) on \(on)\(Self.parenthesized(event.source))"]
            case .commandLogged:
                // Two spaces before "logged": that is how IOS prints it.
                return ["%PARSER-5-CFGLOG_LOGGEDCMD: User:\(user)  logged command:\(event.command ?? "")"]
            case .saved, .configEntered, .configExited:
                return []  // IOS logs no message for `write memory`; the ciscoConfigManEvent trap reports it.
            }
        case .ciscoNXOS:
            guard event.kind == .configured else { return [] }
            let on = event.source.map { "\($0)@pts/\(event.line ?? 0)" } ?? "console0"
            return ["%VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by \(user) on \(on)"]
        case .aristaEOS:
            let terminal: String
            let address: String
            if event.channel == .api {
                terminal = "command-api"
                address = event.source ?? "unix:"
            } else {
                terminal = "vty\(event.line ?? 0)"
                address = event.source ?? "UnknownIpAddr"
            }
            let by = "by \(user) on \(terminal) (\(address))"
            switch event.kind {
            case .configured: return ["%SYS-5-CONFIG_I: Configured from console \(by)"]
            case .configEntered: return ["%SYS-5-CONFIG_E: Enter configuration mode from console \(by)"]
            case .saved: return ["%SYS-5-CONFIG_STARTUP: Startup config saved from system:/running-config \(by)."]
            case .configExited, .commandLogged: return []
            }
        case .juniperJunos:
            switch event.kind {
            case .configured:
                return ["UI_COMMIT: User '\(user)' requested 'commit' operation (comment: \(event.comment ?? "none"))",
                    "UI_COMMIT_COMPLETED: commit complete"]
            case .configEntered: return ["UI_DBASE_LOGIN_EVENT: User '\(user)' entering configuration mode"]
            case .configExited: return ["UI_DBASE_LOGOUT_EVENT: User '\(user)' exiting configuration mode"]
            case .saved, .commandLogged: return []
            }
        }
    }

    /// The whole datagram / frame payload for one body: PRI and the platform's header.
    /// `sequence` is the IOS message counter.
    func frame(_ body: String, platform: LabPlatform, time: Double, sequence: Int) -> String {
        let t = LabTime(epochSeconds: time)
        let day = (t.day < 10 ? " " : "") + String(t.day)
        let bsd = "\(t.monthName) \(day) \(t.hms)"
        switch platform {
        case .ciscoIOS:
            let ms = String(Int((time * 1000).rounded()) % 1000).leftPadded(to: 3)
            return "<189>\(sequence): *\(bsd).\(ms): \(body)"
        case .ciscoNXOS:
            return "<189>: \(t.year) \(bsd) UTC: \(body)"
        case .aristaEOS:
            return "<165>\(bsd) \(hostname) ConfigAgent: \(body)"
        case .juniperJunos:
            return "<189>\(bsd) \(hostname) mgd[\(pid)]: \(body)"
        }
    }

    private static func parenthesized(_ source: String?) -> String {
        source.map { " (\($0))" } ?? ""
    }
}
