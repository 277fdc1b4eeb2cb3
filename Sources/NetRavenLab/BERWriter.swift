/// The few BER (X.690) encodings an SNMPv2c Trap-PDU needs: definite lengths, INTEGER, OCTET STRING,
/// OBJECT IDENTIFIER, TimeTicks and constructed SEQUENCE-like values. Written here so the lab needs no net-snmp.
enum BER {
    static let integerTag: UInt8 = 0x02
    static let octetStringTag: UInt8 = 0x04
    static let oidTag: UInt8 = 0x06
    static let sequenceTag: UInt8 = 0x30
    static let timeTicksTag: UInt8 = 0x43  // [APPLICATION 3] IMPLICIT INTEGER
    static let trapV2Tag: UInt8 = 0xA7  // [CONTEXT 7] SNMPv2-Trap-PDU

    /// Tag, length (short form below 128, else long form), contents.
    static func tlv(_ tag: UInt8, _ contents: [UInt8]) -> [UInt8] {
        [tag] + length(contents.count) + contents
    }

    static func length(_ n: Int) -> [UInt8] {
        if n < 0x80 { return [UInt8(n)] }
        var bytes: [UInt8] = []
        var v = n
        while v > 0 {
            bytes.insert(UInt8(v & 0xFF), at: 0)
            v >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    /// Two's complement, minimal length.
    static func integer(_ value: Int64, tag: UInt8 = integerTag) -> [UInt8] {
        var bytes: [UInt8] = []
        var v = value
        repeat {
            bytes.insert(UInt8(truncatingIfNeeded: v & 0xFF), at: 0)
            v >>= 8
        } while !(v == 0 && bytes[0] & 0x80 == 0) && !(v == -1 && bytes[0] & 0x80 != 0)
        return tlv(tag, bytes)
    }

    /// An unsigned 32-bit application type (TimeTicks): a leading zero keeps values >= 2^31 positive.
    static func unsigned32(_ value: UInt32, tag: UInt8) -> [UInt8] {
        integer(Int64(value), tag: tag)
    }

    static func octetString(_ bytes: [UInt8]) -> [UInt8] { tlv(octetStringTag, bytes) }

    static func octetString(_ text: String) -> [UInt8] { octetString(Array(text.utf8)) }

    /// An OID from its arcs; the first two share one subidentifier (40 * a + b), each written base 128.
    static func oid(_ arcs: [UInt32]) -> [UInt8] {
        precondition(arcs.count >= 2, "an OID has at least two arcs")  // programmer error: OIDs are constants here
        var contents = base128(arcs[0] * 40 + arcs[1])
        for arc in arcs.dropFirst(2) { contents += base128(arc) }
        return tlv(oidTag, contents)
    }

    private static func base128(_ value: UInt32) -> [UInt8] {
        var bytes = [UInt8(value & 0x7F)]
        var v = value >> 7
        while v > 0 {
            bytes.insert(UInt8(v & 0x7F) | 0x80, at: 0)
            v >>= 7
        }
        return bytes
    }

    static func sequence(_ parts: [[UInt8]], tag: UInt8 = sequenceTag) -> [UInt8] {
        tlv(tag, parts.flatMap { $0 })
    }
}

/// A dotted OID as arcs: "1.3.6.1" → [1, 3, 6, 1].
struct OID: Sendable, Equatable, CustomStringConvertible {
    var arcs: [UInt32]

    init(_ dotted: String) {
        arcs = dotted.split(separator: ".").compactMap { UInt32($0) }
    }

    init(arcs: [UInt32]) { self.arcs = arcs }

    /// This OID with `suffix` appended (a table column plus its row index).
    func appending(_ suffix: UInt32...) -> OID { OID(arcs: arcs + suffix) }

    var description: String { arcs.map(String.init).joined(separator: ".") }
}
