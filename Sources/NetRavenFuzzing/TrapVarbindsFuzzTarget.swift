import Foundation
import NetRavenCore

/// A trap's variable bindings as text, through `TrapRuleBook` and the daemon's `EventClassifier`.
///
/// Input, one item per LF-separated line: the trap OID, then `OID TYPE VALUE` per varbind with TYPE one of
/// `integer string hex oid ip counter32 gauge32 counter64 timeticks opaque null`; a string's value is the raw bytes
/// to the end of the line (any encoding), `hex` gives bytes as hex digits. A line that does not parse is skipped, so
/// every input is a trap. The sender and SNMP version come from the input's length. Seeds are the trap fixtures.
///
/// Invariants: a trap with a rule is classified by that rule; a change names a kind; the classifier's events name
/// inventory devices and the rule's `MIB.name`; the trap's description (the event's raw text) renders.
enum TrapVarbindsFuzzTarget {
    static func run(_ input: [UInt8]) -> [String] {
        let fixture = FuzzFixture.shared
        var lines = input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let trapOID = lines.isEmpty ? "" : String(decoding: lines.removeFirst(), as: UTF8.self)
        let varbinds = lines.compactMap(varbind)
        var problems: [String] = []

        let classification = fixture.trapRules.classify(trapOID: trapOID, varbinds: varbinds)
        let key = trapOID.hasPrefix(".") ? String(trapOID.dropFirst()) : trapOID
        if let rule = fixture.trapRules.rules[key], classification.rule != rule.qualifiedName {
            problems.append("trap \(key) classified by \(classification.rule ?? "nil"), not \(rule.qualifiedName)")
        }
        if classification.change, classification.kind == nil { problems.append("change without a kind") }

        let versions = ReceivedTrap.Version.allCases
        let trap = ReceivedTrap(
            version: versions[input.count % versions.count], peerAddress: fixture.peer(input.count / 3),
            agentAddress: input.count % 2 == 0 ? nil : fixture.peer(input.count / 5), trapOID: trapOID,
            varbinds: varbinds)
        let verdict = fixture.classifier.classify(trap: trap, receivedAt: Date(timeIntervalSince1970: 0), id: "fuzz")
        problems += fixture.trapVerdictProblems(verdict)
        if case .change(let event) = verdict {
            if event.rule != fixture.trapRules.rules[key]?.qualifiedName {
                problems.append("event rule \(event.rule ?? "nil") is not the trap's rule")
            }
            if event.raw != trap.description { problems.append("event raw text is not the trap's description") }
        }
        return problems
    }

    /// One `OID TYPE VALUE` line; nil when it does not parse.
    static func varbind(_ line: ArraySlice<UInt8>) -> (oid: String, value: SNMPValue)? {
        let parts = line.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return nil }
        let oid = String(decoding: parts[0], as: UTF8.self)
        let type = String(decoding: parts[1], as: UTF8.self)
        let raw = parts.count > 2 ? Array(parts[2]) : []
        let text = String(decoding: raw, as: UTF8.self)
        let value: SNMPValue
        switch type {
        case "integer": guard let number = Int64(text) else { return nil }; value = .integer(number)
        case "string": value = .string(raw)
        case "hex": guard let bytes = hexBytes(text) else { return nil }; value = .string(bytes)
        case "oid": value = .oid(text)
        case "ip": value = .ipAddress(text)
        case "counter32": guard let number = UInt32(text) else { return nil }; value = .counter32(number)
        case "gauge32": guard let number = UInt32(text) else { return nil }; value = .gauge32(number)
        case "counter64": guard let number = UInt64(text) else { return nil }; value = .counter64(number)
        case "timeticks": guard let number = UInt32(text) else { return nil }; value = .timeticks(number)
        case "opaque": value = .opaque(raw)
        case "null": value = .null
        default: return nil
        }
        return (oid, value)
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
        }
        return bytes
    }
}
