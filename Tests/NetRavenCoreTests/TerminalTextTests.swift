import Testing

@testable import NetRavenCore

@Suite struct TerminalTextTests {
    func render(_ text: String) -> String { TerminalText.render(Array(text.utf8)) }

    @Test func crlfAndTrailingSpaces() {
        #expect(render("hostname r1  \r\ninterface Gi0/1\r\n") == "hostname r1\ninterface Gi0/1")
    }

    @Test func ciscoPagerErasedWithBackspaces() {
        let more = " --More-- " + String(repeating: "\u{8}", count: 10) + String(repeating: " ", count: 10)
            + String(repeating: "\u{8}", count: 10)
        #expect(render("line one\r\n\(more)line two\r\n") == "line one\nline two")
    }

    @Test func pagerErasedWithCarriageReturn() {
        #expect(render("a\n---(more 45%)---\r                 \rnext line\n") == "a\nnext line")
    }

    @Test func ansiSequencesRemoved() {
        let text = "\u{1B}[?2004h\u{1B}]0;root@host: ~\u{07}root@host:~# echo\u{1B}[K hi\r\n\u{1B}[1;32mgreen\u{1B}[0m\n"
        #expect(render(text) == "root@host:~# echo hi\ngreen")
    }

    @Test func utf8SurvivesAndBadBytesBecomeReplacement() {
        #expect(render("description café ✓\n") == "description café ✓")
        #expect(render("bad \u{FF}byte\n".utf8.map { $0 } == [] ? "" : "x") == "x")
        #expect(TerminalText.render([0x61, 0xFF, 0x62]) == "a\u{FFFD}b")
    }

    @Test func byteAtATimeEqualsWholeBuffer() {
        let erase = String(repeating: "\u{8}", count: 10)
        let raw = Array("r1#show run\r\n --More-- \(erase)          \(erase)end\r\nr1#".utf8)
        var accumulated: [UInt8] = []
        for byte in raw { accumulated.append(byte) }
        #expect(TerminalText.render(accumulated) == TerminalText.render(raw))
        #expect(TerminalText.render(raw) == "r1#show run\nend\nr1#")
    }
}
