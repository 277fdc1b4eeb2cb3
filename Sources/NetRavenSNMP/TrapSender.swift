internal import CNetSNMP
internal import CNetSNMPShims
import Foundation
public import NetRavenCore

/// Sends SNMPv2c or SNMPv3 (USM) notifications (`SNMPv2-Trap-PDU`) to one receiver: the load generator of the trap
/// benchmark and a peer for tests of receivers. Traps are fire-and-forget, so `send` only encodes and writes one
/// datagram; nothing is read back.
///
/// One net-snmp session, used by one thread: the thread that calls `send` (net-snmp sessions are not thread-safe).
/// A v3 sender is the authoritative engine of its traps, so the user's `engineID` is required and is the engine id
/// the receiver must be configured with (`createUser -e`). net-snmp's USM user list is per process: run one sender
/// per process, not next to a `TrapReceiver` holding the same user.
public final class TrapSender: @unchecked Sendable {
    /// How the notifications are authenticated.
    public enum Credentials: Sendable {
        /// SNMPv2c with a community string.
        case v2c(community: Secret)
        /// SNMPv3 USM: authNoPriv or authPriv by whether the user has a privacy protocol; `engineID` required.
        case v3(SNMPUser)
    }

    private let handle: UnsafeMutableRawPointer
    private let users: [(engineID: [UInt8], name: String)]
    private let target: String
    private let started = Date()

    /// Opens the session (no packet is sent yet).
    /// - Parameters:
    ///   - host: the receiver's IP address.
    ///   - port: its UDP port.
    ///   - credentials: community or v3 user.
    ///   - stateDirectory: net-snmp's persistent directory for this process (never /var/lib/snmp).
    ///   - sourceAddress: the local IP address to send from (a simulated device's own); nil lets the kernel choose.
    /// - Throws: `SNMPError` (`userRejected` for a bad v3 user, `libraryFailure` when the session cannot open).
    public init(
        host: String, port: Int, credentials: Credentials, stateDirectory: String, sourceAddress: String? = nil
    ) throws {
        try NetSNMPLibrary.initialize(stateDirectory: stateDirectory)
        target = "udp:\(host):\(port)"
        var template = netsnmp_session()
        snmp_sess_init(&template)
        var added: [(engineID: [UInt8], name: String)] = []
        // snmp_sess_add copies every string and id it is given: these buffers only need to live until it returns.
        var community: [UInt8] = []
        var name: [CChar] = []
        var engineID: [UInt8] = []
        switch credentials {
        case .v2c(let secret):
            template.version = Int(SNMP_VERSION_2c)
            community = Array(secret.value.utf8)
        case .v3(let user):
            guard let id = user.engineID else {
                throw SNMPError(
                    code: .userRejected,
                    message: "SNMPv3 trap sender user \(user.name) needs an engine id: the sender is authoritative")
            }
            // The USM user (keys localized to the engine id) goes into the process's user list, where the
            // outgoing message processing looks it up by engine id and name.
            added = try NetSNMPLibrary.add([user])
            template.version = Int(SNMP_VERSION_3)
            template.securityLevel = user.privacyProtocol == nil ? SNMP_SEC_LEVEL_AUTHNOPRIV : SNMP_SEC_LEVEL_AUTHPRIV
            name = Array(user.name.utf8CString)
            engineID = id
            // As snmptrap does for traps: the sender's engine reports boot 1; the time only has to be plausible.
            template.engineBoots = 1
            template.engineTime = 1
        }
        users = added
        // The client transport binds to `clientaddr` when it opens; the setting is process-wide, so it is set only
        // around this open (senders are created one after another).
        netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_CLIENT_ADDR, sourceAddress)
        let transport = netsnmp_transport_open_client(NetSNMPLibrary.application, target)
        netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_CLIENT_ADDR, nil)
        guard let transport else {
            NetSNMPLibrary.remove(added)
            throw SNMPError(
                code: .libraryFailure,
                message: "cannot open an SNMP client socket to \(target) from \(sourceAddress ?? "any address")")
        }
        let opened: UnsafeMutableRawPointer? = community.withUnsafeMutableBufferPointer { communityBuffer in
            name.withUnsafeMutableBufferPointer { nameBuffer in
                engineID.withUnsafeMutableBufferPointer { engineBuffer in
                    if !communityBuffer.isEmpty {
                        template.community = communityBuffer.baseAddress
                        template.community_len = communityBuffer.count
                    }
                    if !nameBuffer.isEmpty {
                        template.securityName = nameBuffer.baseAddress
                        template.securityNameLen = nameBuffer.count - 1
                        template.securityEngineID = engineBuffer.baseAddress
                        template.securityEngineIDLen = engineBuffer.count
                        template.contextEngineID = engineBuffer.baseAddress
                        template.contextEngineIDLen = engineBuffer.count
                    }
                    return snmp_sess_add(&template, transport, nil, nil)
                }
            }
        }
        guard let opened else {
            NetSNMPLibrary.remove(added)
            throw SNMPError(code: .libraryFailure, message: "net-snmp could not create the trap session to \(target)")
        }
        handle = opened
    }

    deinit {
        snmp_sess_close(handle)
        NetSNMPLibrary.remove(users)
    }

    /// Sends one SNMPv2-Trap-PDU: `sysUpTime.0` (time since this sender opened), `snmpTrapOID.0`, then `varbinds`.
    /// - Throws: `SNMPError` (`libraryFailure`) when an OID is not numeric or the datagram could not be sent.
    public func send(trapOID: String, varbinds: [(oid: String, value: SNMPValue)]) throws {
        guard let pdu = snmp_pdu_create(Int32(NR_SNMP_MSG_TRAP2.rawValue)) else {
            throw SNMPError(code: .libraryFailure, message: "net-snmp could not allocate a trap PDU")
        }
        do {
            let uptime = UInt32(truncatingIfNeeded: Int(Date().timeIntervalSince(started) * 100))
            try add(pdu, oid: "1.3.6.1.2.1.1.3.0", value: .timeticks(uptime))
            try add(pdu, oid: "1.3.6.1.6.3.1.1.4.1.0", value: .oid(trapOID))
            for varbind in varbinds { try add(pdu, oid: varbind.oid, value: varbind.value) }
        } catch {
            snmp_free_pdu(pdu)
            throw error
        }
        // On success the library owns (and frees) the PDU; on failure the caller does.
        if snmp_sess_send(handle, pdu) == 0 {
            snmp_free_pdu(pdu)
            throw SNMPError(code: .libraryFailure, message: "sending a trap to \(target) failed")
        }
    }

    private func add(_ pdu: UnsafeMutablePointer<netsnmp_pdu>, oid name: String, value: SNMPValue) throws {
        var arcs = try Self.arcs(name)
        let (type, bytes) = try Self.encoded(value)
        let added = bytes.withUnsafeBytes { raw in
            snmp_pdu_add_variable(pdu, &arcs, arcs.count, u_char(type), raw.baseAddress, raw.count)
        }
        guard added != nil else {
            throw SNMPError(code: .libraryFailure, message: "net-snmp refused the varbind \(name) = \(value)")
        }
    }

    static func arcs(_ text: String) throws -> [oid] {
        // A leading dot (`.1.3.6...`, net-snmp's own output) is the same OID.
        let digits = text.hasPrefix(".") ? text.dropFirst() : Substring(text)
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false).map { oid($0) }
        guard parts.count >= 2, parts.count <= Int(MAX_OID_LEN), !parts.contains(nil) else {
            throw SNMPError(code: .libraryFailure, message: "'\(text)' is not a numeric OID")
        }
        return parts.compactMap { $0 }
    }

    /// The ASN.1 type and the value bytes as `snmp_pdu_add_variable` takes them (integers as a C long).
    static func encoded(_ value: SNMPValue) throws -> (Int32, [UInt8]) {
        func long(_ number: Int) -> [UInt8] { withUnsafeBytes(of: number) { Array($0) } }
        func unsigned(_ number: UInt) -> [UInt8] { withUnsafeBytes(of: number) { Array($0) } }
        switch value {
        case .integer(let number): return (Int32(NR_ASN_INTEGER.rawValue), long(Int(number)))
        case .string(let bytes): return (Int32(NR_ASN_OCTET_STR.rawValue), bytes)
        case .opaque(let bytes): return (Int32(NR_ASN_OPAQUE.rawValue), bytes)
        case .oid(let text):
            let arcs = try arcs(text)
            return (Int32(NR_ASN_OBJECT_ID.rawValue), arcs.withUnsafeBytes { Array($0) })
        case .ipAddress(let text):
            var address = in_addr()
            guard inet_pton(AF_INET, text, &address) == 1 else {
                throw SNMPError(code: .libraryFailure, message: "'\(text)' is not an IPv4 address")
            }
            return (Int32(NR_ASN_IPADDRESS.rawValue), withUnsafeBytes(of: address.s_addr) { Array($0) })
        case .counter32(let number): return (Int32(NR_ASN_COUNTER.rawValue), unsigned(UInt(number)))
        case .gauge32(let number): return (Int32(NR_ASN_GAUGE.rawValue), unsigned(UInt(number)))
        case .timeticks(let number): return (Int32(NR_ASN_TIMETICKS.rawValue), unsigned(UInt(number)))
        case .counter64(let number):
            // struct counter64 { u_long high; u_long low; }
            let parts = [UInt(number >> 32), UInt(number & 0xFFFF_FFFF)]
            return (Int32(NR_ASN_COUNTER64.rawValue), parts.withUnsafeBytes { Array($0) })
        case .null: return (Int32(NR_ASN_NULL.rawValue), [])
        }
    }
}
