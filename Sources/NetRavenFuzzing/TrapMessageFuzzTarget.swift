import Foundation
import NetRavenCore
import NetRavenSNMP

/// A raw trap datagram (BER, as `snmptrap -v 1|2c` sends it) decoded by `TrapMessageDecoder` (net-snmp's parser,
/// then NetRaven's reading of the PDU) and classified like a received trap.
///
/// Invariants: a decoded trap has a trap OID, and its description (the event's raw text) renders; classification
/// holds the same invariants as for `trap-varbinds`. net-snmp itself is not instrumented: coverage guidance comes
/// from the Swift side, AddressSanitizer watches the library's heap.
enum TrapMessageFuzzTarget {
    static func run(_ input: [UInt8]) -> [String] {
        let fixture = FuzzFixture.shared
        let peer = fixture.peer(input.count)
        guard let trap = TrapMessageDecoder.decode(input, peerAddress: peer) else { return [] }
        var problems: [String] = []
        if trap.trapOID.isEmpty { problems.append("decoded trap without a trap OID") }
        if trap.peerAddress != peer { problems.append("peer address \(trap.peerAddress), sent from \(peer)") }
        _ = trap.description
        let verdict = fixture.classifier.classify(trap: trap, receivedAt: Date(timeIntervalSince1970: 0), id: "fuzz")
        problems += fixture.trapVerdictProblems(verdict)
        return problems
    }
}
