/// A trap or inform the receiver accepted (community or USM user checked), in SNMPv2 form.
///
/// Version 1 traps are converted as RFC 3584 section 3.1 says, so rules see one shape. The community string is a
/// secret and is never kept here: only the configured name it matched is, so `description` is safe to log.
public struct ReceivedTrap: Sendable, CustomStringConvertible {
    /// The SNMP version the trap came in.
    public enum Version: String, Sendable, CaseIterable {
        case v1, v2c, v3
    }

    public var version: Version
    /// The packet's source address (IP only, no port): a relay's address when a relay forwarded it.
    public var peerAddress: String
    /// SNMPv1 `agent-addr`: the address the device says it has (device resolution prefers it for v1).
    public var agentAddress: String?
    /// Which configured community matched (`communities[2]`), never the community itself; nil for v3.
    public var communityName: String?
    /// The USM user of a v3 trap or inform.
    public var user: String?
    /// `snmpTrapOID.0`, numeric.
    public var trapOID: String
    /// `sysUpTime.0` in hundredths of a second (v1: the `time-stamp` field).
    public var sysUpTime: UInt32?
    /// The remaining variable bindings in order, without sysUpTime.0 and snmpTrapOID.0.
    public var varbinds: [(oid: String, value: SNMPValue)]
    /// True for an inform: the sender waits for our Response, which is sent only after the handler accepted it.
    public var isInform: Bool

    public init(
        version: Version, peerAddress: String, agentAddress: String? = nil, communityName: String? = nil,
        user: String? = nil, trapOID: String, sysUpTime: UInt32? = nil,
        varbinds: [(oid: String, value: SNMPValue)] = [], isInform: Bool = false
    ) {
        self.version = version
        self.peerAddress = peerAddress
        self.agentAddress = agentAddress
        self.communityName = communityName
        self.user = user
        self.trapOID = trapOID
        self.sysUpTime = sysUpTime
        self.varbinds = varbinds
        self.isInform = isInform
    }

    public var description: String {
        var text = "\(isInform ? "inform" : "trap") \(version.rawValue) from \(peerAddress)"
        if let agentAddress { text += " agent \(agentAddress)" }
        if let user { text += " user \(user)" }
        if let communityName { text += " community \(communityName)" }
        text += " \(trapOID)"
        for varbind in varbinds { text += " \(varbind.oid)=\(varbind.value)" }
        return text
    }
}
