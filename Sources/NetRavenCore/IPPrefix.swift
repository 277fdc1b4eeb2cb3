/// An address range in CIDR notation (`192.0.2.0/24`, `2001:db8::/32`); a single address is a full-length prefix.
public struct IPPrefix: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the range (host bits cleared).
    public let network: IPAddress
    /// How many leading bits are fixed.
    public let length: Int

    /// Parses `ADDRESS` or `ADDRESS/LENGTH`; nil when either part is invalid.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(parts[0])) else { return nil }
        let maximum = address.bytes.count * 8
        var length = maximum
        if parts.count == 2 {
            // An IPv4-mapped network written as IPv6 (::ffff:192.0.2.0/120) keeps its meaning as IPv4.
            guard let value = Int(parts[1]), value >= 0 else { return nil }
            let written = text.contains(":") && address.isIPv4 ? value - 96 : value
            guard (0...maximum).contains(written) else { return nil }
            length = written
        }
        self.length = length
        network = IPAddress(bytes: Self.masked(address.bytes, length: length)) ?? address
    }

    /// True when `address` is in this range (an IPv4 address is never in an IPv6 range, and the other way round).
    public func contains(_ address: IPAddress) -> Bool {
        address.bytes.count == network.bytes.count && Self.masked(address.bytes, length: length) == network.bytes
    }

    /// `192.0.2.0/24`, or the bare address for a full-length prefix.
    public var description: String {
        length == network.bytes.count * 8 ? network.description : "\(network)/\(length)"
    }

    private static func masked(_ bytes: [UInt8], length: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bitsInByte = min(max(length - index * 8, 0), 8)
            return bitsInByte == 8 ? byte : byte & ~(UInt8(0xff) >> bitsInByte)
        }
    }
}
