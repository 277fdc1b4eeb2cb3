import Foundation
import NetRavenCore
import NetRavenSNMP
import NetRavenTestSupport
import Testing

typealias ReceivedTrapCopy = ReceivedTrap

/// Real net-snmp tools against the receiver. Serialized: net-snmp's USM user list is per process.
@Suite(.serialized) struct TrapReceiverTests {
    static let community = "c0mmunity-secret"
    static let senderEngineID = "0x8000000001020304"
    static let ccmEvent = "1.3.6.1.4.1.9.9.43.2.0.1"
    static let column = "1.3.6.1.4.1.9.9.43.1.1.6.1"

    let state: TemporaryDirectory
    let sender: TrapSender

    init() throws {
        state = try TemporaryDirectory(prefix: "netraven-snmp")
        sender = try TrapSender()
    }

    func settings(users: [SNMPUser] = []) -> SNMPSettings {
        SNMPSettings(
            listenAddress: "127.0.0.1", listenPort: 0,
            communities: [SNMPCommunity(name: "communities[0]", secret: Secret(Self.community))], users: users)
    }

    /// Starts a receiver, runs `body` with its address, and always stops it.
    func withReceiver(
        users: [SNMPUser] = [], inbox: TrapInbox, _ body: (String, TrapReceiver) throws -> Void
    ) throws {
        let receiver = TrapReceiver(settings: settings(users: users), stateDirectory: state.path + "/snmp") {
            inbox.deliver($0)
        }
        let port = try receiver.start()
        defer { receiver.stop() }
        try body("127.0.0.1:\(port)", receiver)
    }

    /// Arguments of a ciscoConfigManEvent: a CLI change to running by alice from 192.0.2.10.
    static let ciscoChange = [
        "", ccmEvent, "\(column).3.7", "i", "1", "\(column).5.7", "i", "3", "\(column).6.7", "i", "5",
        "\(column).8.7", "s", "alice", "\(column).10.7", "a", "192.0.2.10",
    ]

    @Test func v2cTrapIsDeliveredAndClassified() throws {
        let inbox = TrapInbox()
        try withReceiver(inbox: inbox) { address, receiver in
            try sender.run("snmptrap", ["-v", "2c", "-c", Self.community, address] + Self.ciscoChange)
            let trap = try #require(inbox.next())
            #expect(trap.version == .v2c)
            #expect(trap.peerAddress == "127.0.0.1")
            #expect(trap.trapOID == Self.ccmEvent)
            #expect(trap.communityName == "communities[0]")
            #expect(trap.sysUpTime != nil)
            #expect(trap.varbinds.count == 5)
            #expect(
                trap.varbinds[3].oid == "\(Self.column).8.7" && trap.varbinds[3].value == .string(Array("alice".utf8)))
            #expect(trap.varbinds[4].value == .ipAddress("192.0.2.10"))
            // The community is a secret: only its configured name shows.
            #expect(!trap.description.contains(Self.community))
            let book = try TrapRuleBook.load(directory: PackagePaths.rules)
            let verdict = book.classify(trapOID: trap.trapOID, varbinds: trap.varbinds)
            #expect(verdict.change && verdict.kind == .committed && verdict.user == "alice")
            #expect(verdict.source == "192.0.2.10" && verdict.rule == "CISCO-CONFIG-MAN-MIB.ciscoConfigManEvent")
            #expect(receiver.counters.receivedV2c == 1)
        }
    }

    @Test func v1TrapsAreConvertedPerRFC3584() throws {
        let inbox = TrapInbox()
        try withReceiver(inbox: inbox) { address, receiver in
            try sender.run(
                "snmptrap",
                [
                    "-v", "1", "-c", Self.community, address, "1.3.6.1.4.1.9", "192.0.2.33", "6", "17", "",
                    "1.3.6.1.2.1.1.5.0", "s", "r1",
                ])
            let specific = try #require(inbox.next())
            #expect(specific.version == .v1)
            #expect(specific.trapOID == "1.3.6.1.4.1.9.0.17")
            #expect(specific.agentAddress == "192.0.2.33")
            #expect(specific.varbinds.first?.oid == "1.3.6.1.2.1.1.5.0")
            #expect(specific.varbinds.last?.oid == "1.3.6.1.6.3.1.1.4.3.0")
            #expect(specific.varbinds.last?.value == .oid("1.3.6.1.4.1.9"))

            try sender.run(
                "snmptrap", ["-v", "1", "-c", Self.community, address, "1.3.6.1.4.1.9", "192.0.2.33", "2", "0", ""])
            let linkDown = try #require(inbox.next())
            #expect(linkDown.trapOID == "1.3.6.1.6.3.1.1.5.3")
            #expect(receiver.counters.receivedV1 == 2)
        }
    }

    @Test func wrongCommunityIsCountedNotDelivered() throws {
        let inbox = TrapInbox()
        try withReceiver(inbox: inbox) { address, receiver in
            try sender.run("snmptrap", ["-v", "2c", "-c", "wrong-community", address] + Self.ciscoChange)
            try sender.run(
                "snmptrap", ["-v", "1", "-c", "public", address, "1.3.6.1.4.1.9", "192.0.2.33", "6", "1", ""])
            // One thread reads the socket in order: once this one is delivered, the two before were handled.
            try sender.run("snmptrap", ["-v", "2c", "-c", Self.community, address, "", "1.3.6.1.6.3.1.1.5.1"])
            let delivered = try #require(inbox.next())
            #expect(delivered.trapOID == "1.3.6.1.6.3.1.1.5.1")
            let counters = receiver.counters
            #expect(counters.badCommunity == 2)
            #expect(counters.receivedV2c == 1 && counters.receivedV1 == 0)
        }
    }

    static let trapUser = SNMPUser(
        name: "trapuser", authProtocol: .sha, authSecret: Secret("auth-pass-123"), privacyProtocol: .aes,
        privacySecret: Secret("priv-pass-123"), engineID: SNMPUser.parseEngineID(senderEngineID))
    static let authOnlyUser = SNMPUser(
        name: "oldgear", authProtocol: .md5, authSecret: Secret("md5-pass-123"),
        engineID: SNMPUser.parseEngineID(senderEngineID))

    @Test func v3TrapsAuthPrivAndAuthNoPriv() throws {
        let inbox = TrapInbox()
        try withReceiver(users: [Self.trapUser, Self.authOnlyUser], inbox: inbox) { address, receiver in
            try sender.run(
                "snmptrap",
                [
                    "-v", "3", "-e", Self.senderEngineID, "-u", "trapuser", "-l", "authPriv", "-a", "SHA", "-A",
                    "auth-pass-123", "-x", "AES", "-X", "priv-pass-123", address,
                ] + Self.ciscoChange)
            let private3 = try #require(inbox.next())
            #expect(private3.version == .v3 && private3.user == "trapuser" && private3.trapOID == Self.ccmEvent)

            try sender.run(
                "snmptrap",
                [
                    "-v", "3", "-e", Self.senderEngineID, "-u", "oldgear", "-l", "authNoPriv", "-a", "MD5", "-A",
                    "md5-pass-123", address, "", "1.3.6.1.6.3.1.1.5.4",
                ])
            let authOnly = try #require(inbox.next())
            #expect(authOnly.user == "oldgear" && authOnly.trapOID == "1.3.6.1.6.3.1.1.5.4")
            #expect(receiver.counters.receivedV3 == 2)
        }
    }

    @Test func wrongV3PasswordIsCountedNotDelivered() throws {
        let inbox = TrapInbox()
        try withReceiver(users: [Self.trapUser], inbox: inbox) { address, receiver in
            try sender.run(
                "snmptrap",
                [
                    "-v", "3", "-e", Self.senderEngineID, "-u", "trapuser", "-l", "authPriv", "-a", "SHA", "-A",
                    "wrong-pass-123", "-x", "AES", "-X", "priv-pass-123", address,
                ] + Self.ciscoChange)
            try sender.run(
                "snmptrap",
                [
                    "-v", "3", "-e", Self.senderEngineID, "-u", "nosuchuser", "-l", "authNoPriv", "-a", "SHA", "-A",
                    "auth-pass-123", address, "", "1.3.6.1.6.3.1.1.5.1",
                ])
            try sender.run("snmptrap", ["-v", "2c", "-c", Self.community, address, "", "1.3.6.1.6.3.1.1.5.2"])
            let delivered = try #require(inbox.next())
            #expect(delivered.trapOID == "1.3.6.1.6.3.1.1.5.2")
            #expect(receiver.counters.usmFailures == 2)
            #expect(receiver.counters.receivedV3 == 0)
        }
    }

    @Test func informsAreAcknowledgedOnlyWhenAccepted() throws {
        let informUser = SNMPUser(
            name: "informuser", authProtocol: .sha256, authSecret: Secret("inform-auth-1"), privacyProtocol: .aes,
            privacySecret: Secret("inform-priv-1"))
        let accepting = TrapInbox(accept: true)
        try withReceiver(users: [informUser], inbox: accepting) { address, receiver in
            let v2c = try sender.run(
                "snmpinform", ["-v", "2c", "-c", Self.community, "-t", "5", "-r", "2", address] + Self.ciscoChange)
            #expect(v2c.status == 0, "\(v2c.output)")
            #expect(accepting.next()?.isInform == true)
            let v3 = try sender.run(
                "snmpinform",
                [
                    "-v", "3", "-u", "informuser", "-l", "authPriv", "-a", "SHA-256", "-A", "inform-auth-1", "-x",
                    "AES",
                    "-X", "inform-priv-1", "-t", "5", "-r", "2", address, "", "1.3.6.1.6.3.1.1.5.1",
                ])
            #expect(v3.status == 0, "\(v3.output)")
            let trap = try #require(accepting.next())
            #expect(trap.version == .v3 && trap.user == "informuser" && trap.isInform)
            #expect(receiver.counters.informsAcknowledged == 2)
        }
        let refusing = TrapInbox(accept: false)
        try withReceiver(users: [informUser], inbox: refusing) { address, receiver in
            let refused = try sender.run(
                "snmpinform", ["-v", "2c", "-c", Self.community, "-t", "1", "-r", "0", address] + Self.ciscoChange)
            #expect(refused.status != 0, "an inform the handler did not accept must not be acknowledged")
            #expect(refusing.next() != nil)
            #expect(receiver.counters.informsAcknowledged == 0 && receiver.counters.rejectedByHandler >= 1)
        }
    }

    @Test func bindFailureAndRestartAreReported() throws {
        let inbox = TrapInbox()
        try withReceiver(inbox: inbox) { address, receiver in
            let port = try #require(receiver.port)
            var taken = settings()
            taken.listenPort = port
            let second = TrapReceiver(settings: taken, stateDirectory: state.path + "/snmp") { _ in true }
            #expect { try second.start() } throws: { ($0 as? SNMPError)?.code == .bindFailed }
            #expect { try receiver.start() } throws: { ($0 as? SNMPError)?.code == .alreadyStarted }
            #expect(address.hasSuffix(":\(port)"))
        }
    }

    @Test func stopEndsTheThreadAndFreesThePort() throws {
        let receiver = TrapReceiver(settings: settings(), stateDirectory: state.path + "/snmp") { _ in true }
        let port = try receiver.start()
        receiver.stop()
        #expect(receiver.port == nil)
        receiver.stop()
        var again = settings()
        again.listenPort = port
        let second = TrapReceiver(settings: again, stateDirectory: state.path + "/snmp") { _ in true }
        #expect(try second.start() == port)
        second.stop()
    }
}
