import Foundation
import Testing

@testable import NetRavenAlerts

/// Diff excerpts and the e-mail encodings, as pure functions.
@Suite struct MessageFormatTests {
    @Test(arguments: [(10, 1000, 10, 90), (200, 1000, 0, 0), (100, 100, 0, 0)])
    func excerptKeepsWholeLines(maxLines: Int, maxCharacters: Int, expectKept: Int, expectOmitted: Int) {
        let diff = (1...100).map { "line \($0) " + String(repeating: "x", count: 20) }.joined(separator: "\n") + "\n"
        let excerpt = DiffExcerpt(diff, maxLines: maxLines, maxCharacters: maxCharacters)
        let kept = excerpt.text.split(separator: "\n")
        #expect(kept.allSatisfy { $0.hasSuffix(String(repeating: "x", count: 20)) })
        #expect(kept.count + excerpt.omittedLines == 100)
        #expect(excerpt.withNote.count <= maxCharacters)
        if expectKept > 0 {
            #expect(kept.count == expectKept && excerpt.omittedLines == expectOmitted)
            #expect(excerpt.withNote.hasSuffix("\n… 90 more lines"))
        }
    }

    @Test func excerptOfOneHugeLineShowsItsStart() {
        let excerpt = DiffExcerpt("+" + String(repeating: "y", count: 10_000), maxLines: 10, maxCharacters: 500)
        #expect(excerpt.text.hasPrefix("+yyy") && excerpt.text.hasSuffix("…"))
        #expect(excerpt.withNote.count <= 500 && excerpt.omittedLines == 0)
        #expect(DiffExcerpt("", maxLines: 5, maxCharacters: 100).withNote == "")
    }

    @Test func quotedPrintableWrapsAndEncodes() {
        let text = "caf\u{e9} = ok \n" + String(repeating: "a", count: 200) + "\ntrailing space "
        let encoded = String(decoding: MailMessage.quotedPrintable(text), as: UTF8.self)
        let lines = encoded.components(separatedBy: "\r\n")
        #expect(lines.first == "caf=C3=A9 =3D ok=20")
        #expect(lines.allSatisfy { $0.count <= 76 })
        #expect(lines.last == "trailing space=20")
        #expect(lines.dropFirst().dropLast().allSatisfy { $0.allSatisfy { $0 == "a" || $0 == "=" } })
    }

    @Test func subjectsBecomeEncodedWordsOnlyWhenNeeded() {
        #expect(MailMessage.encodedWord("plain subject") == "plain subject")
        let encoded = MailMessage.encodedWord("änderung " + String(repeating: "ü", count: 40))
        #expect(encoded.hasPrefix("=?UTF-8?B?"))
        #expect(encoded.components(separatedBy: "\r\n ").allSatisfy { $0.count <= 76 })
        #expect(
            MailMessage.rfc5322Date(Date(timeIntervalSince1970: 1_750_000_000)) == "Sun, 15 Jun 2025 15:06:40 +0000")
    }
}
