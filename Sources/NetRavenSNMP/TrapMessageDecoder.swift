internal import CNetSNMP
internal import CNetSNMPShims
public import NetRavenCore

/// Decodes one SNMPv1 or v2c trap or inform datagram (BER) with net-snmp's parser, without a session, into the
/// `ReceivedTrap` the receiver would hand on: the same `TrapPDU` reading, minus the community check.
///
/// For the fuzz target and tools; the receiver itself gets its PDUs from its net-snmp session.
public enum TrapMessageDecoder {
    /// The trap in `datagram`; nil when it is not a well-formed v1 Trap or v2c Trap/Inform. Any bytes are safe.
    public static func decode(_ datagram: [UInt8], peerAddress: String) -> ReceivedTrap? {
        var bytes = datagram
        return bytes.withUnsafeMutableBufferPointer { buffer -> ReceivedTrap? in
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return nil }
            var length = buffer.count
            // COMMUNITY_MAX_LEN is 256; the library checks the length it is given.
            var community = [UInt8](repeating: 0, count: 256)
            var communityLength = community.count
            var version = 0
            guard let pduStart = snmp_comstr_parse(base, &length, &community, &communityLength, &version),
                version == Int(SNMP_VERSION_1) || version == Int(SNMP_VERSION_2c),
                let pdu = snmp_pdu_create(0)
            else { return nil }
            defer { snmp_free_pdu(pdu) }
            pdu.pointee.version = version
            guard snmp_pdu_parse(pdu, pduStart, &length) == 0 else { return nil }
            let message = TrapPDU(pdu: pdu)
            let command = message.command
            if version == Int(SNMP_VERSION_1) {
                guard command == Int32(NR_SNMP_MSG_TRAP.rawValue) else { return nil }
                return message.trap(version: .v1, peerAddress: peerAddress)
            }
            guard command == Int32(NR_SNMP_MSG_TRAP2.rawValue) || command == Int32(NR_SNMP_MSG_INFORM.rawValue)
            else { return nil }
            return message.trap(version: .v2c, peerAddress: peerAddress)
        }
    }
}
