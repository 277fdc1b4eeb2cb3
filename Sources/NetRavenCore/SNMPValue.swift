/// One value carried in a trap's variable bindings, as the agent typed it.
public enum SNMPValue: Sendable, Equatable, CustomStringConvertible {
    case integer(Int64)
    /// An OCTET STRING: the exact bytes (user names may be any encoding; engine ids and MACs are binary).
    case string([UInt8])
    /// An OBJECT IDENTIFIER, numeric (`1.3.6.1.4.1.9`).
    case oid(String)
    /// An IpAddress, dotted quad.
    case ipAddress(String)
    case counter32(UInt32)
    case gauge32(UInt32)
    case counter64(UInt64)
    /// Hundredths of a second.
    case timeticks(UInt32)
    case opaque([UInt8])
    /// NULL, or an exception value (noSuchObject, noSuchInstance, endOfMibView).
    case null

    /// The string's bytes as text, invalid UTF-8 replaced (for display and rule conditions).
    public static func lossyText(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// The value as a number, for the types that are numbers.
    public var integerValue: Int64? {
        switch self {
        case .integer(let value): value
        case .counter32(let value), .gauge32(let value), .timeticks(let value): Int64(value)
        case .counter64(let value): value <= UInt64(Int64.max) ? Int64(value) : nil
        default: nil
        }
    }

    /// The value as text: strings (lossy), addresses, OIDs and numbers; nil for opaque and null.
    public var textValue: String? {
        switch self {
        case .string(let bytes): Self.lossyText(bytes)
        case .oid(let oid): oid
        case .ipAddress(let address): address
        case .opaque, .null: nil
        default: integerValue.map(String.init)
        }
    }

    public var description: String {
        switch self {
        case .integer(let value): "INTEGER: \(value)"
        case .string(let bytes): "STRING: \"\(Self.lossyText(bytes))\""
        case .oid(let oid): "OID: \(oid)"
        case .ipAddress(let address): "IpAddress: \(address)"
        case .counter32(let value): "Counter32: \(value)"
        case .gauge32(let value): "Gauge32: \(value)"
        case .counter64(let value): "Counter64: \(value)"
        case .timeticks(let value): "Timeticks: \(value)"
        case .opaque(let bytes): "Opaque: \(bytes.count) bytes"
        case .null: "NULL"
        }
    }
}
