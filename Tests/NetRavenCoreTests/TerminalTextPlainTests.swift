import Testing

@testable import NetRavenCore

/// `TerminalText.render` copies plain lines instead of emulating the cursor: the copy must give exactly what the
/// emulation gives, and anything that is not plain (CR alone, backspace, tab, ESC, non-ASCII) must fall back to it.
@Suite struct TerminalTextPlainTests {
    @Test(arguments: [
        "", "\n", "\n\n", "abc", "abc\n", "abc\r\n", "abc  \r\n", "   ", "abc\n   ", "\nabc", "a\n\nb", "a\r\n\r\nb",
        "r1#show running-config\r\nBuilding configuration...\r\n\r\nhostname r1 \r\nend\r\nr1#",
        "abc\r", "abc\rxy\n", "abc\r\r\n", "ab\u{8}c\n", "a\tb\n", "\u{1B}[Kabc\n", "caf\u{E9}\n", "a\u{7F}b\n",
    ])
    func plainCopyEqualsTheEmulation(text: String) {
        let bytes = Array(text.utf8)
        #expect(TerminalText.render(bytes) == TerminalText.emulate(bytes))
        // A sequence without contiguous storage always takes the emulation.
        #expect(TerminalText.render(bytes.lazy.map { $0 }) == TerminalText.emulate(bytes))
    }

    @Test func onlyPlainTextTakesTheCopy() {
        #expect(Array("hostname r1\r\nend\r\nr1#".utf8).withUnsafeBufferPointer(TerminalText.plainText) != nil)
        for text in ["a\rb", "a\u{8}b", "a\tb", "\u{1B}[K", "caf\u{E9}", "r1#\r"] {
            #expect(Array(text.utf8).withUnsafeBufferPointer(TerminalText.plainText) == nil, "\(text.debugDescription)")
        }
    }
}
