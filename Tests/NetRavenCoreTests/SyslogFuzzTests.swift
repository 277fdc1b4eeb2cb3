import Foundation
import NetRavenCore
import Testing

/// A small deterministic generator (SplitMix64), so a failing input can be reproduced from the seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Mutated real lines and random bytes: the parser must answer every one (a message or a classified error), never
/// trap, and keep its output within the input's size.
@Suite struct SyslogFuzzTests {
    static let seeds: [String] = {
        var lines = allSyslogSamples().map(\.fixtureCase.line)
        lines += [
            "<189>1 2024-03-04T09:12:44.512Z r1 mgd 1234 UI_COMMIT [a b=\"c\"][d e=\"f\\\"\"] \u{FEFF}msg",
            "<189>Mar  4 09:12:45 relay1 <189>Mar  4 09:12:45 relay2 "
                + "<189>48213: r1: *Mar  4 09:12:44.512 UTC: %X-5-Y: z",
            "<189>: 2024 Mar  4 09:12:44 UTC: %VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured",
        ]
        return lines
    }()

    static let alphabet: [UInt8] = Array("<>0123456789 :.*-[]=\"\\%TZ+MarDec\u{FEFF}\r\n".utf8) + [0, 0xFF, 0xC3]

    func mutate(_ bytes: [UInt8], using random: inout SplitMix64) -> [UInt8] {
        var result = bytes
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let position = result.isEmpty ? 0 : Int.random(in: 0..<result.count, using: &random)
            let byte =
                Bool.random(using: &random)
                ? Self.alphabet.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random)
            switch Int.random(in: 0..<5, using: &random) {
            case 0 where !result.isEmpty: result[position] = byte
            case 1: result.insert(byte, at: position)
            case 2 where !result.isEmpty: result.remove(at: position)
            case 3: result = Array(result.prefix(position))
            default:
                // Splice a piece of another seed in: headers inside headers, relays of relays.
                let other = Array(Self.seeds.randomElement(using: &random)!.utf8)
                result.insert(contentsOf: other.prefix(Int.random(in: 0...other.count, using: &random)), at: position)
            }
        }
        return result
    }

    @Test(arguments: [1, 2, 3, 4])
    func mutatedLinesAndRandomBytes(_ seed: UInt64) throws {
        let book = try SyslogRuleBook.load(directory: repositoryRules)
        var random = SplitMix64(state: seed)
        var parsed = 0
        var errors: [String: Int] = [:]
        for index in 0..<25_000 {
            let input: [UInt8]
            if index % 5 == 4 {
                input = (0..<Int.random(in: 0...300, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
            } else {
                input = mutate(Array(Self.seeds.randomElement(using: &random)!.utf8), using: &random)
            }
            do {
                let message = try SyslogMessage.parse(input)
                parsed += 1
                #expect(message.text.utf8.count <= input.count * 3, "replacement characters at most triple the size")
                #expect((0...23).contains(message.facility) && (0...7).contains(message.severity))
                // Classifying every tenth message keeps the run short while still covering the rules.
                if index % 10 == 0 { _ = book.classify(message, platform: nil) }
            } catch {
                errors[error.code.description, default: 0] += 1
            }
        }
        #expect(parsed > 1_000, "most mutations keep a valid header")
        #expect(errors.values.reduce(0, +) > 1_000, "random bytes are refused: \(errors)")
    }
}
