internal import CNetSNMP
import Foundation
import NetRavenCore
import Synchronization

/// net-snmp's process-wide state: one initialization, and the USM user list every session shares.
///
/// All of it happens under `lock`, so two receivers starting at once cannot interleave library calls.
enum NetSNMPLibrary {
    /// The persistent directory of the first initialization; nil before it.
    private static let lock = Mutex<String?>(nil)

    /// The application name: net-snmp keeps its state in `<persistent dir>/netraven.conf`.
    static let application = "netraven"

    /// Initializes net-snmp once per process with its persistent state (engine id, boots) in `stateDirectory`
    /// rather than /var/lib/snmp, reading no system snmp.conf and loading no MIBs (OIDs stay numeric).
    /// A later call with another directory keeps the first one: the library has one per process.
    static func initialize(stateDirectory: String) throws {
        try lock.withLock { initialized in
            guard initialized == nil else { return }
            do {
                try FileManager.default.createDirectory(
                    atPath: stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw SNMPError(
                    code: .libraryFailure, message: "cannot create the SNMP state directory \(stateDirectory): \(error)"
                )
            }
            netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_PERSISTENT_DIR, stateDirectory)
            netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_CONFIGURATION_DIR, stateDirectory)
            netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OID_OUTPUT_FORMAT, NETSNMP_OID_OUTPUT_NUMERIC)
            // Its log goes to stderr by default and may name users; the receiver counts failures instead.
            snmp_disable_log()
            // Without any handler net-snmp falls back to stderr; a NONE handler really discards.
            _ = netsnmp_register_loghandler(NETSNMP_LOGHANDLER_NONE, LOG_DEBUG)
            // Debian ships no MIBs: loading them only produces "Cannot find module" noise.
            setenv("MIBS", "", 0)
            init_snmp(application)
            // Persist the engine id and boot counter now, so informs' senders see a stable engine after restarts.
            snmp_store(application)
            initialized = stateDirectory
        }
    }

    /// USM rejections the library has counted in this process (unknown user or engine id, wrong digest,
    /// decryption error, time window, unsupported level): not all of them reach the session callback.
    static func usmRejections() -> Int {
        (STAT_USMSTATSUNSUPPORTEDSECLEVELS...STAT_USMSTATSDECRYPTIONERRORS).reduce(0) {
            $0 + Int(snmp_get_statistic(Int32($1)))
        }
    }

    /// Our engine id (informs are keyed to it), as hex.
    static func localEngineID() -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 64)
        let length = snmpv3_get_engineID(&buffer, buffer.count)
        return Array(buffer.prefix(length))
    }

    /// Adds the users (replacing earlier ones with the same name and engine id) and returns their keys for removal.
    static func add(_ users: [SNMPUser]) throws -> [(engineID: [UInt8], name: String)] {
        try lock.withLock { _ in
            var added: [(engineID: [UInt8], name: String)] = []
            for user in users {
                let engineID = user.engineID ?? localEngineID()
                removeLocked(engineID: engineID, name: user.name)
                var line = ""
                if let hex = user.engineIDHex { line += "-e 0x\(hex) " }
                line += "\(quoted(user.name)) \(user.authProtocol.rawValue) \(quoted(user.authSecret.value))"
                if let privacy = user.privacyProtocol, let secret = user.privacySecret {
                    line += " \(privacy.rawValue) \(quoted(secret.value))"
                }
                var bytes = Array(line.utf8CString)
                bytes.withUnsafeMutableBufferPointer { usm_parse_create_usmUser("createUser", $0.baseAddress) }
                // The line held the passphrases: do not leave them in freed memory longer than needed.
                for index in bytes.indices { bytes[index] = 0 }
                guard exists(engineID: engineID, name: user.name) else {
                    for key in added { removeLocked(engineID: key.engineID, name: key.name) }
                    throw SNMPError(
                        code: .userRejected,
                        message: "net-snmp refused SNMP user \(user): its protocols are not built in "
                            + "or a passphrase is invalid"
                    )
                }
                added.append((engineID, user.name))
            }
            return added
        }
    }

    static func remove(_ users: [(engineID: [UInt8], name: String)]) {
        lock.withLock { _ in
            for user in users { removeLocked(engineID: user.engineID, name: user.name) }
        }
    }

    private static func exists(engineID: [UInt8], name: String) -> Bool {
        var engine = engineID
        return usm_get_user(&engine, engine.count, name) != nil
    }

    private static func removeLocked(engineID: [UInt8], name: String) {
        var engine = engineID
        while let user = usm_get_user(&engine, engine.count, name) {
            usm_remove_user(user)
            usm_free_user(user)
        }
    }

    /// A word for net-snmp's config line parser (copy_nword): double-quoted, `\` and `"` escaped.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
