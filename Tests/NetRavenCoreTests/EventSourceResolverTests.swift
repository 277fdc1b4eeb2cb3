import NetRavenCore
import Testing

@Suite struct EventSourceResolverTests {
    static let devices = [
        Device(name: "par-core-1", host: "192.0.2.1", platform: "cisco_ios", aliases: ["pc1", "10.0.2.1"]),
        Device(name: "lon-edge-1", host: "lon-edge-1.example.net", platform: "junos"),
        Device(name: "fra-fw", host: "2001:db8::f", platform: "cisco_asa"),
        // The lab: several devices behind one address.
        Device(name: "lab-a", host: "127.0.0.1", platform: "cisco_ios"),
        Device(name: "lab-b", host: "127.0.0.1", platform: "cisco_ios"),
    ]
    static let relays = [IPPrefix("198.51.100.7"), IPPrefix("203.0.113.0/24")].compactMap { $0 }
    static let resolver = EventSourceResolver(
        devices: devices, relays: relays, hostAddresses: ["lon-edge-1.example.net": [IPAddress("192.0.2.2")!]])

    @Test(arguments: [
        // A device's own address wins whatever hostname the message carries.
        ("192.0.2.1", "router-name-inside", EventSourceResolver.Resolution.device("par-core-1")),
        ("192.0.2.1", nil, .device("par-core-1")),
        ("10.0.2.1", nil, .device("par-core-1")),
        ("::ffff:192.0.2.1", nil, .device("par-core-1")),
        ("192.0.2.2", nil, .device("lon-edge-1")),
        ("2001:db8:0:0::f", nil, .device("fra-fw")),
        // Relays resolve by the hostname inside: name, alias, host, short name, any case.
        ("198.51.100.7", "par-core-1", .device("par-core-1")),
        ("198.51.100.7", "PC1", .device("par-core-1")),
        ("203.0.113.99", "par-core-1.example.net", .device("par-core-1")),
        ("203.0.113.99", "lon-edge-1", .device("lon-edge-1")),
        ("203.0.113.99", "LON-EDGE-1.example.net.", .device("lon-edge-1")),
        ("203.0.113.99", "192.0.2.2", .device("lon-edge-1")),
        ("203.0.113.99", "unknown-box", .relayUnresolved),
        ("203.0.113.99", nil, .relayUnresolved),
        ("::ffff:203.0.113.5", "fra-fw", .device("fra-fw")),
        // A shared address is a relay limited to its own devices.
        ("127.0.0.1", "lab-b", .device("lab-b")),
        ("127.0.0.1", "par-core-1", .relayUnresolved),
        ("127.0.0.1", nil, .relayUnresolved),
        // Everyone else.
        ("192.0.2.99", "par-core-1", .rejected),
        ("203.0.114.1", "par-core-1", .rejected),
        ("not an address", "par-core-1", .rejected),
    ] as [(String, String?, EventSourceResolver.Resolution)])
    func resolves(peer: String, hostname: String?, expected: EventSourceResolver.Resolution) {
        #expect(Self.resolver.resolve(peer: peer, hostname: hostname) == expected)
    }

    @Test func allowListIsDevicesAndRelays() {
        #expect(Self.resolver.isAllowed(peer: "192.0.2.1"))
        #expect(Self.resolver.isAllowed(peer: "::ffff:10.0.2.1"))
        #expect(Self.resolver.isAllowed(peer: "203.0.113.200"))
        #expect(Self.resolver.isAllowed(peer: "127.0.0.1"))
        #expect(!Self.resolver.isAllowed(peer: "127.0.0.2"))
        #expect(!Self.resolver.isAllowed(peer: "2001:db8::e"))
        #expect(!Self.resolver.isAllowed(peer: "garbage"))
    }

    @Test func ambiguousShortNamesResolveToNobody() {
        let resolver = EventSourceResolver(
            devices: [
                Device(name: "r1.par.example.net", host: "192.0.2.10", platform: "cisco_ios"),
                Device(name: "r1.lon.example.net", host: "192.0.2.11", platform: "cisco_ios"),
            ], relays: [IPPrefix("198.51.100.0/24")!])
        #expect(resolver.resolve(peer: "198.51.100.1", hostname: "r1") == .relayUnresolved)
        #expect(resolver.resolve(peer: "198.51.100.1", hostname: "r1.lon.example.net") == .device("r1.lon.example.net"))
    }

    @Test func dnsNamesAreResolvedThroughTheInjectedLookup() async {
        let resolver = await EventSourceResolver.build(devices: Self.devices, relays: []) { host in
            host == "lon-edge-1.example.net" ? ["192.0.2.2", "2001:db8::2"] : []
        }
        #expect(resolver.resolve(peer: "2001:db8::2", hostname: nil) == .device("lon-edge-1"))
        #expect(resolver.unresolvedHosts.isEmpty)
        let offline = await EventSourceResolver.build(devices: Self.devices, relays: []) { _ in [] }
        #expect(offline.unresolvedHosts == ["lon-edge-1.example.net"])
        #expect(offline.resolve(peer: "192.0.2.2", hostname: "lon-edge-1") == .rejected)
    }

    @Test(arguments: [
        ("10.1.0.0/16", "10.1.255.3", true), ("10.1.0.0/16", "10.2.0.1", false), ("10.1.2.3/8", "10.200.0.1", true),
        ("0.0.0.0/0", "192.0.2.1", true), ("2001:db8::/32", "2001:db8:ffff::1", true),
        ("2001:db8::/32", "2001:db9::1", false), ("::ffff:192.0.2.0/120", "192.0.2.77", true),
        ("192.0.2.0/24", "2001:db8::1", false),
    ])
    func prefixes(prefix: String, address: String, contained: Bool) throws {
        let range = try #require(IPPrefix(prefix))
        #expect(range.contains(try #require(IPAddress(address))) == contained)
    }

    @Test(arguments: ["10.0.0.0/33", "10.0.0/8", "2001:db8::/129", "host.example.net", "10.0.0.0/-1", ""])
    func invalidPrefixes(text: String) {
        #expect(IPPrefix(text) == nil)
    }
}
