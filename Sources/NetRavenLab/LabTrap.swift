/// One SNMPv2c notification (Trap-PDU) as a device sends it, encoded by hand (see ``BER``).
///
/// Varbinds follow RFC 3416 4.2.6: `sysUpTime.0`, `snmpTrapOID.0`, then the notification's OBJECTS.
struct LabTrap: Sendable, Equatable {
    enum Value: Sendable, Equatable {
        case integer(Int64)
        case string([UInt8])
        case timeTicks(UInt32)
    }

    static let sysUpTime = OID("1.3.6.1.2.1.1.3.0")
    static let snmpTrapOID = OID("1.3.6.1.6.3.1.1.4.1.0")

    // CISCO-CONFIG-MAN-MIB: ciscoConfigManEvent and the ccmHistoryEventEntry columns it carries.
    static let ciscoConfigManEvent = OID("1.3.6.1.4.1.9.9.43.2.0.1")
    static let ccmHistoryEventCommandSource = OID("1.3.6.1.4.1.9.9.43.1.1.6.1.3")
    static let ccmHistoryEventConfigSource = OID("1.3.6.1.4.1.9.9.43.1.1.6.1.4")
    static let ccmHistoryEventConfigDestination = OID("1.3.6.1.4.1.9.9.43.1.1.6.1.5")
    /// ccmHistoryEventCommandSource: commandLine(1), snmp(2).
    static let commandLine: Int64 = 1
    /// HistoryEventMedium: erase(1), commandSource(2), running(3), startup(4), local(5), networkTftp(6), ...
    static let mediumCommandSource: Int64 = 2, mediumRunning: Int64 = 3, mediumStartup: Int64 = 4

    // JUNIPER-CFGMGMT-MIB: jnxCmCfgChange and the jnxCmCfgChgEventEntry columns it carries.
    static let jnxCmCfgChange = OID("1.3.6.1.4.1.2636.4.5.0.1")
    static let jnxCmCfgChgEventTime = OID("1.3.6.1.4.1.2636.3.18.1.7.1.2")
    static let jnxCmCfgChgEventDate = OID("1.3.6.1.4.1.2636.3.18.1.7.1.3")
    static let jnxCmCfgChgEventSource = OID("1.3.6.1.4.1.2636.3.18.1.7.1.4")
    static let jnxCmCfgChgEventUser = OID("1.3.6.1.4.1.2636.3.18.1.7.1.5")
    static let jnxCmCfgChgEventLog = OID("1.3.6.1.4.1.2636.3.18.1.7.1.6")
    /// JnxCmCfChgSource: other(1), cli(2), junoscript(3), synchronize(4), snmp(5), button(6), autoinstall(7).
    static let sourceCLI: Int64 = 2, sourceJunoscript: Int64 = 3

    var trapOID: OID
    /// sysUpTime.0 in hundredths of a second.
    var uptime: UInt32
    var varbinds: [(OID, Value)]

    static func == (a: LabTrap, b: LabTrap) -> Bool {
        a.trapOID == b.trapOID && a.uptime == b.uptime && a.varbinds.elementsEqual(b.varbinds) { $0 == $1 }
    }

    /// The trap a device of `event.platform` sends for this event, or nil when it sends none.
    /// `index` is the row of the device's change history table the trap refers to.
    static func trap(for event: LabChangeEvent, uptime: UInt32, index: UInt32) -> LabTrap? {
        switch (event.platform, event.kind) {
        case (.ciscoIOS, .configured), (.ciscoNXOS, .configured), (.aristaEOS, .configured):
            return ciscoConfigManEvent(uptime: uptime, index: index, source: mediumCommandSource,
                destination: mediumRunning)
        case (.ciscoIOS, .saved), (.ciscoNXOS, .saved), (.aristaEOS, .saved):
            return ciscoConfigManEvent(uptime: uptime, index: index, source: mediumRunning,
                destination: mediumStartup)
        case (.juniperJunos, .configured):
            let source = event.channel == .cli ? sourceCLI : sourceJunoscript
            return LabTrap(trapOID: jnxCmCfgChange, uptime: uptime, varbinds: [
                (jnxCmCfgChgEventTime.appending(index), .timeTicks(uptime)),
                (jnxCmCfgChgEventDate.appending(index), .string(dateAndTime(event.time))),
                (jnxCmCfgChgEventSource.appending(index), .integer(source)),
                (jnxCmCfgChgEventUser.appending(index), .string(Array(event.user.utf8))),
                (jnxCmCfgChgEventLog.appending(index), .string(Array((event.comment ?? "").utf8))),
            ])
        default:
            return nil
        }
    }

    private static func ciscoConfigManEvent(uptime: UInt32, index: UInt32, source: Int64, destination: Int64)
        -> LabTrap
    {
        LabTrap(trapOID: ciscoConfigManEvent, uptime: uptime, varbinds: [
            (ccmHistoryEventCommandSource.appending(index), .integer(commandLine)),
            (ccmHistoryEventConfigSource.appending(index), .integer(source)),
            (ccmHistoryEventConfigDestination.appending(index), .integer(destination)),
        ])
    }

    /// SNMPv2-TC DateAndTime, 11 octets in UTC: year (2), month, day, hour, minutes, seconds, deci-seconds,
    /// '+', 0, 0.
    static func dateAndTime(_ epochSeconds: Double) -> [UInt8] {
        let t = LabTime(epochSeconds: epochSeconds)
        let deci = Int((epochSeconds - epochSeconds.rounded(.down)) * 10) % 10
        return [UInt8(t.year >> 8), UInt8(t.year & 0xFF), UInt8(t.month), UInt8(t.day), UInt8(t.hour),
            UInt8(t.minute), UInt8(t.second), UInt8(deci), UInt8(ascii: "+"), 0, 0]
    }

    /// The whole SNMP message: version 1 (v2c), community, Trap-PDU (request-id, error-status 0, error-index 0).
    func encoded(community: String, requestID: Int32) -> [UInt8] {
        var list = [varbind(Self.sysUpTime, .timeTicks(uptime)), BER.sequence([BER.oid(Self.snmpTrapOID.arcs),
            BER.oid(trapOID.arcs)])]
        list += varbinds.map { varbind($0.0, $0.1) }
        let pdu = BER.sequence(
            [BER.integer(Int64(requestID)), BER.integer(0), BER.integer(0), BER.sequence(list)], tag: BER.trapV2Tag)
        return BER.sequence([BER.integer(1), BER.octetString(community), pdu])
    }

    private func varbind(_ oid: OID, _ value: Value) -> [UInt8] {
        let encoded: [UInt8]
        switch value {
        case .integer(let v): encoded = BER.integer(v)
        case .string(let bytes): encoded = BER.octetString(bytes)
        case .timeTicks(let t): encoded = BER.unsigned32(t, tag: BER.timeTicksTag)
        }
        return BER.sequence([BER.oid(oid.arcs), encoded])
    }
}
