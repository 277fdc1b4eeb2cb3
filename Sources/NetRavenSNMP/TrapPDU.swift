internal import CNetSNMP
internal import CNetSNMPShims
import Foundation
import NetRavenCore

/// Reads a received net-snmp PDU into Swift values; everything is copied, nothing outlives the callback.
struct TrapPDU {
    let pdu: UnsafeMutablePointer<netsnmp_pdu>

    static let sysUpTime = "1.3.6.1.2.1.1.3.0"
    static let snmpTrapOID = "1.3.6.1.6.3.1.1.4.1.0"
    static let snmpTrapEnterprise = "1.3.6.1.6.3.1.1.4.3.0"
    static let snmpTraps = "1.3.6.1.6.3.1.1.5"

    var command: Int32 { pdu.pointee.command }
    var version: Int { pdu.pointee.version }

    var community: [UInt8] {
        guard let bytes = pdu.pointee.community else { return [] }
        return Array(UnsafeBufferPointer(start: bytes, count: pdu.pointee.community_len))
    }

    var securityName: String? {
        guard let name = pdu.pointee.securityName, pdu.pointee.securityNameLen > 0 else { return nil }
        let bytes = UnsafeRawBufferPointer(start: name, count: pdu.pointee.securityNameLen)
        return String(decoding: bytes, as: UTF8.self)
    }

    var securityLevel: Int32 { pdu.pointee.securityLevel }

    /// The packet's source address, from the UDP transport's address pair (it starts with the remote sockaddr).
    var peerAddress: String? {
        guard let data = pdu.pointee.transport_data,
            pdu.pointee.transport_data_length >= MemoryLayout<sockaddr_in>.size
        else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let family = Int32(data.load(as: sockaddr.self).sa_family)
        if family == AF_INET {
            var address = data.load(as: sockaddr_in.self).sin_addr
            guard inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        } else if family == AF_INET6, pdu.pointee.transport_data_length >= MemoryLayout<sockaddr_in6>.size {
            var address = data.load(as: sockaddr_in6.self).sin6_addr
            guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        } else {
            return nil
        }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.hasPrefix("::ffff:") && text.contains(".") ? String(text.dropFirst(7)) : text
    }

    static func oidString(_ arcs: UnsafePointer<oid>?, count: Int) -> String {
        guard let arcs, count > 0 else { return "" }
        return UnsafeBufferPointer(start: arcs, count: count).map { String($0) }.joined(separator: ".")
    }

    static func value(of variable: netsnmp_variable_list) -> SNMPValue {
        let length = variable.val_len
        func bytes() -> [UInt8] {
            guard let string = variable.val.string else { return [] }
            return Array(UnsafeBufferPointer(start: string, count: length))
        }
        func unsigned() -> UInt32 { UInt32(truncatingIfNeeded: variable.val.integer?.pointee ?? 0) }
        switch Int32(variable.type) {
        case Int32(NR_ASN_INTEGER.rawValue): return .integer(Int64(variable.val.integer?.pointee ?? 0))
        case Int32(NR_ASN_OCTET_STR.rawValue): return .string(bytes())
        case Int32(NR_ASN_OPAQUE.rawValue): return .opaque(bytes())
        case Int32(NR_ASN_OBJECT_ID.rawValue):
            return .oid(oidString(variable.val.objid, count: length / MemoryLayout<oid>.size))
        case Int32(NR_ASN_IPADDRESS.rawValue):
            let octets = bytes()
            return octets.count == 4 ? .ipAddress(octets.map(String.init).joined(separator: ".")) : .opaque(octets)
        case Int32(NR_ASN_COUNTER.rawValue): return .counter32(unsigned())
        case Int32(NR_ASN_GAUGE.rawValue): return .gauge32(unsigned())
        case Int32(NR_ASN_TIMETICKS.rawValue): return .timeticks(unsigned())
        case Int32(NR_ASN_COUNTER64.rawValue):
            guard let counter = variable.val.counter64?.pointee else { return .null }
            return .counter64(UInt64(counter.high) << 32 | UInt64(counter.low & 0xFFFF_FFFF))
        default: return .null
        }
    }

    var variables: [(oid: String, value: SNMPValue)] {
        var result: [(oid: String, value: SNMPValue)] = []
        var current = pdu.pointee.variables
        while let variable = current {
            result.append(
                (
                    Self.oidString(variable.pointee.name, count: variable.pointee.name_length),
                    Self.value(of: variable.pointee)
                ))
            current = variable.pointee.next_variable
        }
        return result
    }

    /// The trap in SNMPv2 form: v1 converted per RFC 3584 section 3.1; nil when a v2 trap lacks snmpTrapOID.0.
    func trap(version: ReceivedTrap.Version, peerAddress: String) -> ReceivedTrap? {
        var varbinds = variables
        if version == .v1 {
            let enterprise = Self.oidString(pdu.pointee.enterprise, count: pdu.pointee.enterprise_length)
            let generic = pdu.pointee.trap_type
            let trapOID =
                generic >= 0 && generic < 6
                ? "\(Self.snmpTraps).\(generic + 1)" : "\(enterprise).0.\(pdu.pointee.specific_type)"
            let agent = pdu.pointee.agent_addr
            varbinds.append((Self.snmpTrapEnterprise, .oid(enterprise)))
            return ReceivedTrap(
                version: .v1, peerAddress: peerAddress, agentAddress: "\(agent.0).\(agent.1).\(agent.2).\(agent.3)",
                trapOID: trapOID, sysUpTime: UInt32(truncatingIfNeeded: pdu.pointee.time), varbinds: varbinds)
        }
        guard let trapIndex = varbinds.firstIndex(where: { $0.oid == Self.snmpTrapOID }),
            case .oid(let trapOID) = varbinds[trapIndex].value
        else { return nil }
        varbinds.remove(at: trapIndex)
        var upTime: UInt32?
        if let upIndex = varbinds.firstIndex(where: { $0.oid == Self.sysUpTime }) {
            if case .timeticks(let ticks) = varbinds[upIndex].value { upTime = ticks }
            varbinds.remove(at: upIndex)
        }
        return ReceivedTrap(
            version: version, peerAddress: peerAddress, trapOID: trapOID, sysUpTime: upTime, varbinds: varbinds,
            isInform: command == Int32(NR_SNMP_MSG_INFORM.rawValue))
    }
}
