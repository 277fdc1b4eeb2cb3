public import NetRavenAgent
public import NetRavenCore
public import NetRavenGit
public import NetRavenJournal

/// One thing `/readyz` checks: nil when fine, else what is wrong (said to whoever probes, so no secrets).
public struct ReadinessCheck: Sendable {
    /// The check's name in the `/readyz` body (`journal`, `archive`, `listeners`).
    public var name: String
    /// Runs the check: nil when fine, else the problem.
    public var check: @Sendable () async -> String?

    /// A check.
    public init(name: String, check: @escaping @Sendable () async -> String?) {
        self.name = name
        self.check = check
    }

    /// The journal takes a write now (a full disk, a read-only or immutable file fail it).
    public static func journalWritable(_ journal: EventJournal) -> ReadinessCheck {
        ReadinessCheck(name: "journal") {
            do {
                try await journal.checkWritable()
                return nil
            } catch let error as JournalError {
                return "the journal \(journal.path) is not writable: \(error.message)"
            } catch {
                return "the journal \(journal.path) is not writable: \(error)"
            }
        }
    }

    /// The archive answers (HEAD can be read; an empty archive is fine).
    public static func archiveUsable(_ archive: ConfigArchive) -> ReadinessCheck {
        ReadinessCheck(name: "archive") {
            do {
                _ = try await archive.head()
                return nil
            } catch {
                return "the archive \(archive.path) cannot be read: \(error)"
            }
        }
    }

    /// Every listener the configuration asks for has a bound port.
    public static func listenersBound(configuration: Configuration, ports: Daemon.Ports) -> ReadinessCheck {
        ReadinessCheck(name: "listeners") {
            var missing: [String] = []
            if configuration.syslog.udp != nil && ports.syslogUDP == nil { missing.append("syslog udp") }
            if configuration.syslog.tcp != nil && ports.syslogTCP == nil { missing.append("syslog tcp") }
            if configuration.syslog.tls != nil && ports.syslogTLS == nil { missing.append("syslog tls") }
            if configuration.snmp != nil && ports.snmp == nil { missing.append("snmp traps") }
            return missing.isEmpty ? nil : "not bound: " + missing.joined(separator: ", ")
        }
    }
}
