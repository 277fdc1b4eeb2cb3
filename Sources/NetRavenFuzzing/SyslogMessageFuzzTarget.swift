import Foundation
import NetRavenCore

/// One syslog message as received: parsed, classified by the real syslog rules for every platform and for none,
/// and run through the daemon's `EventClassifier` from a sender the input's length picks (a device, a relay, a
/// stranger), so a seed is simply a line as a device sends it.
///
/// Invariants: facility and severity in range; a change names a kind and a rule of the book; the classifier agrees
/// with the parser on what is malformed, and its events name inventory devices and carry the raw text.
enum SyslogMessageFuzzTarget {
    /// A fixed reference date, so RFC 3164's missing year is filled in the same way on every run.
    static let reference = Date(timeIntervalSince1970: 1_709_543_564)

    static func run(_ input: [UInt8]) -> [String] {
        let fixture = FuzzFixture.shared
        var problems: [String] = []
        let parsed = try? SyslogMessage.parse(input, reference: reference)
        let ruleIDs = Set(fixture.syslogRules.rules.map(\.id))
        if let message = parsed {
            if !(0...23).contains(message.facility) || !(0...7).contains(message.severity) {
                problems.append("facility \(message.facility) / severity \(message.severity) out of range")
            }
            let platform = fixture.devices[input.count % fixture.devices.count].platform
            for candidate in [nil, platform] {
                let result = fixture.syslogRules.classify(message, platform: candidate)
                if result.change, result.kind == nil { problems.append("change without a kind: \(result)") }
                if result.change, !(result.rule.map(ruleIDs.contains) ?? false) {
                    problems.append("change by a rule not in the book: \(result.rule ?? "nil")")
                }
            }
        }
        let peer = fixture.peer(input.count)
        let verdict = fixture.classifier.classify(syslog: input, peer: peer, receivedAt: reference, id: "fuzz")
        switch verdict {
        case .malformed:
            if parsed != nil { problems.append("the parser accepted what the classifier calls malformed") }
        case .change(let event):
            if parsed == nil { problems.append("a change event from a message the parser refused") }
            if !fixture.devices.contains(where: { $0.name == event.device }) {
                problems.append("change event for '\(event.device)', not an inventory device")
            }
            if event.raw != String(decoding: input, as: UTF8.self) { problems.append("event raw text differs") }
            if event.change == nil || event.rule == nil { problems.append("change event without kind or rule") }
        case .notAChange(let device, _):
            if !fixture.devices.contains(where: { $0.name == device }) {
                problems.append("verdict for '\(device)', not an inventory device")
            }
        case .unresolved, .rejected:
            break
        }
        return problems
    }
}
