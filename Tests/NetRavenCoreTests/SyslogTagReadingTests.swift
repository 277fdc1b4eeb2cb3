import Foundation
import Testing

@testable import NetRavenCore

/// The byte-level tag reading must decide every ASCII word as the Character-level one does.
@Suite struct SyslogTagReadingTests {
    @Test func asciiTagsAreReadLikeCharacterTags() throws {
        var random = SeededGenerator(seed: 0x7A65)
        let alphabet = Array("abzAZ09_-./[]:: \t\r\n%*#".utf8)
        let samples = ["mgd[1234]: x", "Cli: x", "UI_COMMIT: x", "%SYS-5-CONFIG_I: x", "[]: x", "a[]: x", ": x",
                       "a:", "a[b]c]: x", "sshd[12]:", "A[1]: x", "ABC: x", "x[: x", "]: x", "a:b: x"]
        var words = samples.map { Array($0.utf8) }
        for _ in 0..<20_000 {
            words.append((0..<Int.random(in: 0...9, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
        }
        for bytes in words {
            for start in [0, min(1, bytes.count)] {
                let fast = try #require(SyslogMessage.asciiTag(bytes, from: start), "\(bytes) is ASCII")
                #expect(fast == SyslogMessage.characterTag(bytes, from: start), "\(String(decoding: bytes, as: UTF8.self).debugDescription) from \(start)")
            }
        }
        #expect(SyslogMessage.asciiTag(Array("caf\u{E9}: x".utf8), from: 0) == nil)
    }
}
