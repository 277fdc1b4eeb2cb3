import Foundation
import Testing

@testable import NetRavenCore

/// The byte reading of a command's output must give what the Character reading gave, for every platform's pager.
@Suite struct CommandOutputTests {
    @Test func bytesAndCharactersGiveTheSameBody() throws {
        let book = try RuleBook.load(directory: repositoryRules)
        let pagers = [nil] + book.platforms.values.compactMap { $0.pager?.pattern }
        #expect(pagers.count > 2)
        var random = SeededGenerator(seed: 0xC0DE)
        let pieces = [
            "hostname r1", " description uplink", "interface Gi0/1", "", "   ", " --More-- ", "--More--",
            "\u{8}\u{8}        \u{8}\u{8}", "-- More --", "---(more)---", "<--- More --->", "caf\u{E9} \u{1F600}",
            "e\u{301}", "show running-config", "r1#show running-config", "end", "\t", "% Invalid input", "!",
        ]
        for round in 0..<1500 {
            let command = ["show running-config", "show version", "terminal length 0"].randomElement(using: &random)!
            var lines = (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random)! }
            if round % 3 == 0 { lines.insert("r1#" + command, at: 0) }
            if round % 5 == 0 { lines.append("r1#") }
            var text = lines.joined(separator: "\n")
            if round % 7 == 0 { text += "\n" }
            for pager in pagers {
                #expect(
                    CommandOutput.body(of: text, command: command, pager: pager)
                        == CommandOutput.characterBody(of: text, command: command, pager: pager),
                    "\(text.debugDescription) with pager /\(pager?.source ?? "-")/")
            }
        }
        // Text with CR goes to the Character reading (CR LF is one Character there, not a line end).
        let withCR = "r1#show version\r\nCisco IOS\r\nr1#"
        #expect(CommandOutput.body(of: withCR, command: "show version", pager: nil)
            == CommandOutput.characterBody(of: withCR, command: "show version", pager: nil))
        #expect(CommandOutput.body(of: "", command: "x", pager: nil) == "")
    }
}
