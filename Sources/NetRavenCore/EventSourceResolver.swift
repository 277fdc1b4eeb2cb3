/// Decides which device a syslog message or trap belongs to, and whether its sender may send at all.
///
/// Built from the inventory and the configured relays. A packet from an inventory address belongs to that device
/// whatever hostname it carries (devices often log their own name, not their management address); a packet from a
/// relay belongs to the device its hostname names; anything else is rejected. An address that several inventory
/// devices share (a NAT, the device lab on 127.0.0.1) behaves like a relay limited to those devices.
///
/// Pure value type: DNS names in the inventory are resolved before it is built (see `build(devices:relays:lookup:)`).
public struct EventSourceResolver: Sendable {
    /// Where an event came from.
    public enum Resolution: Sendable, Equatable {
        /// The device with this inventory name.
        case device(String)
        /// From a relay (or a shared address), but the hostname inside names no known device (or none is given).
        case relayUnresolved
        /// From an address that is neither an inventory device nor a relay.
        case rejected
    }

    /// Device names by source address (device hosts and addresses written as aliases).
    private var devicesByAddress: [IPAddress: [String]] = [:]
    private var relays: [IPPrefix]
    /// Lower-cased names, hosts and aliases → device name; nil marks a key two devices claim.
    private var exactNames: [String: String?] = [:]
    /// The same keys cut at their first dot (`r1.example.net` → `r1`); nil marks an ambiguous short name.
    private var shortNames: [String: String?] = [:]
    /// Device hosts that are DNS names no address was found for; their devices resolve by hostname only.
    public private(set) var unresolvedHosts: [String] = []

    /// A resolver over `devices` and `relays`. `hostAddresses` gives the addresses of device hosts written as DNS
    /// names (from `build`); a DNS name missing from it is listed in `unresolvedHosts`.
    public init(devices: [Device], relays: [IPPrefix], hostAddresses: [String: [IPAddress]] = [:]) {
        self.relays = relays
        for device in devices {
            var addresses: [IPAddress] = []
            if let address = IPAddress(device.host) {
                addresses.append(address)
            } else if let resolved = hostAddresses[device.host], !resolved.isEmpty {
                addresses.append(contentsOf: resolved)
            } else if !unresolvedHosts.contains(device.host) {
                unresolvedHosts.append(device.host)
            }
            addresses.append(contentsOf: device.aliases.compactMap(IPAddress.init))
            for address in Set(addresses) {
                devicesByAddress[address, default: []].append(device.name)
            }
            for key in Set([device.name, device.host] + device.aliases).map(Self.normalized) {
                Self.claim(&exactNames, key: key, for: device.name)
                if let short = Self.shortName(key) {
                    Self.claim(&shortNames, key: short, for: device.name)
                }
            }
        }
    }

    /// Resolves the DNS names among the device hosts through `lookup` (which must do its blocking work off the
    /// cooperative pool, e.g. getaddrinfo on a thread pool) and builds the resolver.
    /// - Parameter lookup: the addresses of a host name as text; empty when it has none.
    public static func build(
        devices: [Device], relays: [IPPrefix], lookup: @Sendable (String) async -> [String]
    ) async -> EventSourceResolver {
        var hostAddresses: [String: [IPAddress]] = [:]
        for host in Set(devices.map(\.host)) where IPAddress(host) == nil {
            hostAddresses[host] = await lookup(host).compactMap(IPAddress.init)
        }
        return EventSourceResolver(devices: devices, relays: relays, hostAddresses: hostAddresses)
    }

    /// True when `peer` (an address as text) is an inventory device or a relay: the check a listener makes before
    /// it hands a packet on. A string that is not an address is never allowed.
    public func isAllowed(peer: String) -> Bool {
        guard let address = IPAddress(peer) else { return false }
        return devicesByAddress[address] != nil || isRelay(address)
    }

    /// The device an event from `peer` belongs to, using `hostname` (the host named inside the message) where
    /// the peer is a relay or an address several devices share.
    public func resolve(peer: String, hostname: String?) -> Resolution {
        guard let address = IPAddress(peer) else { return .rejected }
        let named = hostname.flatMap(device(namedBy:))
        if isRelay(address) {
            if let named { return .device(named) }
            if let owners = devicesByAddress[address], owners.count == 1 { return .device(owners[0]) }
            return .relayUnresolved
        }
        guard let owners = devicesByAddress[address] else { return .rejected }
        if owners.count == 1 { return .device(owners[0]) }
        if let named, owners.contains(named) { return .device(named) }
        return .relayUnresolved
    }

    /// The device a hostname in a message names: its name, host or an alias, case-insensitively, also by the
    /// short name before the first dot; nil when none or more than one device matches.
    public func device(namedBy hostname: String) -> String? {
        let key = Self.normalized(hostname)
        guard !key.isEmpty else { return nil }
        if let address = IPAddress(key) {
            if let owners = devicesByAddress[address], owners.count == 1 { return owners[0] }
            return nil
        }
        if let match = exactNames[key] { return match }
        if let short = Self.shortName(key), let match = exactNames[short] { return match }
        if let match = shortNames[key] { return match }
        if let short = Self.shortName(key), let match = shortNames[short] { return match }
        return nil
    }

    private func isRelay(_ address: IPAddress) -> Bool {
        relays.contains { $0.contains(address) }
    }

    private static func normalized(_ name: String) -> String {
        var key = name.lowercased()
        while key.hasSuffix(".") { key.removeLast() }
        if let address = IPAddress(key) { return address.description }
        return key
    }

    /// The part before the first dot, for names that have one and are not addresses.
    private static func shortName(_ key: String) -> String? {
        guard IPAddress(key) == nil, let dot = key.firstIndex(of: "."), dot != key.startIndex else { return nil }
        return String(key[..<dot])
    }

    /// Records `key` for `device`; a key already claimed by another device becomes ambiguous (nil).
    private static func claim(_ table: inout [String: String?], key: String, for device: String) {
        guard !key.isEmpty else { return }
        if let existing = table[key] {
            if existing != device { table[key] = .some(nil) }
        } else {
            table[key] = device
        }
    }
}
