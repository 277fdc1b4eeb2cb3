import Foundation
import NetRavenCore
import NetRavenSNMP
import NetRavenTestSupport
import Testing

/// NetRavenSNMP's own sender (the benchmark's load generator) against the receiver: in the serialized suite, since
/// both use the process's one USM user list.
extension TrapReceiverTests {
    static let jnxChange: [(oid: String, value: SNMPValue)] = [
        ("1.3.6.1.4.1.2636.3.18.1.7.1.2.12", .integer(12)),
        ("1.3.6.1.4.1.2636.3.18.1.7.1.5.12", .string(Array("jdoe".utf8))),
        ("1.3.6.1.4.1.2636.3.18.1.7.1.4.12", .integer(2)),
        ("1.3.6.1.4.1.9.9.43.1.1.6.1.10.7", .ipAddress("192.0.2.10")),
        ("1.3.6.1.2.1.1.2.0", .oid("1.3.6.1.4.1.2636.1.1.1.2.21")),
        ("1.3.6.1.2.1.2.2.1.10.3", .counter32(4_000_000_000)),
        ("1.3.6.1.4.1.2636.3.1.1.0", .timeticks(123_456)),
    ]

    @Test func ownSenderDeliversV2cTrapsFromItsSourceAddress() throws {
        let inbox = TrapInbox()
        try withReceiver(inbox: inbox) { address, receiver in
            let port = try #require(Int(address.split(separator: ":")[1]))
            let sender = try NetRavenSNMP.TrapSender(
                host: "127.0.0.1", port: port, credentials: .v2c(community: Secret(Self.community)),
                stateDirectory: state.path + "/snmp", sourceAddress: "127.0.1.7")
            try sender.send(trapOID: "1.3.6.1.4.1.2636.4.5.0.1", varbinds: Self.jnxChange)
            let trap = try #require(inbox.next())
            #expect(trap.version == .v2c && trap.communityName == "communities[0]")
            #expect(trap.peerAddress == "127.0.1.7")
            #expect(trap.trapOID == "1.3.6.1.4.1.2636.4.5.0.1")
            #expect(trap.sysUpTime != nil)
            #expect(trap.varbinds.map(\.oid) == Self.jnxChange.map(\.oid))
            #expect(trap.varbinds.map(\.value) == Self.jnxChange.map(\.value))
            #expect(receiver.counters.receivedV2c == 1)
        }
    }

    @Test func ownSenderSendsV3AuthPrivTrapsTheReceiverDecrypts() throws {
        let inbox = TrapInbox()
        try withReceiver(users: [Self.trapUser], inbox: inbox) { address, receiver in
            let port = try #require(Int(address.split(separator: ":")[1]))
            let sender = try NetRavenSNMP.TrapSender(
                host: "127.0.0.1", port: port, credentials: .v3(Self.trapUser), stateDirectory: state.path + "/snmp")
            try sender.send(trapOID: Self.ccmEvent, varbinds: Self.jnxChange)
            try sender.send(trapOID: "1.3.6.1.6.3.1.1.5.3", varbinds: [])
            let first = try #require(inbox.next())
            #expect(first.version == .v3 && first.user == "trapuser" && first.trapOID == Self.ccmEvent)
            #expect(first.varbinds.map(\.value) == Self.jnxChange.map(\.value))
            let second = try #require(inbox.next())
            #expect(second.trapOID == "1.3.6.1.6.3.1.1.5.3" && second.varbinds.isEmpty)
            #expect(receiver.counters.receivedV3 == 2 && receiver.counters.usmFailures == 0)
        }
    }

    @Test func ownSenderRefusesAV3UserWithoutEngineIDAndANonNumericOID() throws {
        let noEngine = SNMPUser(
            name: "trapuser", authProtocol: .sha, authSecret: Secret("auth-pass-123"), privacyProtocol: .aes,
            privacySecret: Secret("priv-pass-123"))
        #expect(throws: SNMPError.self) {
            _ = try NetRavenSNMP.TrapSender(
                host: "127.0.0.1", port: 9, credentials: .v3(noEngine), stateDirectory: state.path + "/snmp")
        }
        let sender = try NetRavenSNMP.TrapSender(
            host: "127.0.0.1", port: 9, credentials: .v2c(community: Secret(Self.community)),
            stateDirectory: state.path + "/snmp")
        #expect(throws: SNMPError.self) { try sender.send(trapOID: "ciscoConfigManEvent", varbinds: []) }
    }
}
