import Foundation
import Testing

@testable import NetRavenCore

/// The normalizer and `ChangedLines` work on UTF-8 bytes for speed (benchmark P7). These tests hold them to the
/// plain String implementations they replaced, kept here as references, on generated configurations: blank and
/// whitespace-only lines (Unicode spaces too), volatile lines, secrets, comments, braces, CR, non-ASCII text,
/// moved and duplicated lines.
@Suite struct ByteWiseReferenceTests {
    let book: RuleBook

    init() throws {
        book = try RuleBook.load(directory: repositoryRules)
    }

    /// Pieces a generated configuration is made of; each run picks among them with a seeded generator.
    static let pieces = [
        "", " ", "\t", "\u{3000}", "\u{A0}x", "!", "! Last configuration change at 10:00:01 UTC by jdoe",
        "ntp clock-period 17179865", " ntp clock-period 1", "hostname r1", "interface Gi0/1", " description uplink",
        " description caf\u{E9} \u{1F600}", " ip address 10.0.0.1 255.255.255.0", "  shutdown", "   ", "}", "};",
        " }", "system {", "    host-name r1;", "    encrypted-password \"$6$abc$def\";", "enable secret 9 $9$abc",
        "username admin privilege 15 secret 9 $9$zz", " password 7 0822455D0A16", "snmp-server community S3cr RO",
        "key 7 ABCDEF", "# comment", "line with CR\r", "x\u{0B}y", "e\u{301}nd", "end", "end  ", "Building configuration...",
        "Current configuration : 1234 bytes", "router bgp 65000", " neighbor 10.0.0.2 password 7 XYZ", "  ",
    ]

    static func generate(_ generator: inout SeededGenerator, lines: Int) -> String {
        var result: [String] = []
        for _ in 0..<lines { result.append(pieces.randomElement(using: &generator)!) }
        // Most outputs end as a device prints them; some are cut.
        if Int.random(in: 0..<4, using: &generator) > 0 { result.append("end") }
        return result.joined(separator: "\n") + (Bool.random(using: &generator) ? "\n" : "")
    }

    @Test(arguments: ["cisco_ios", "juniper_junos", "arista_eos", "cisco_nxos"])
    func theNormalizerMatchesTheStringReference(platformName: String) throws {
        let platform = try #require(book.platforms[platformName])
        var generator = SeededGenerator(seed: 7)
        for round in 0..<300 {
            let output = Self.generate(&generator, lines: Int.random(in: 0..<40, using: &generator))
            for mask in [false, true] {
                let normalizer = ConfigNormalizer(platform: platform, maskSecrets: mask)
                let expected = Result { try ReferenceNormalizer(platform: platform, maskSecrets: mask).normalize(output) }
                let actual = Result { try normalizer.normalize(output) }
                switch (expected, actual) {
                case (.success(let expected), .success(let actual)):
                    #expect(actual == expected, "round \(round), mask \(mask): \(output.debugDescription)")
                case (.failure(let expected), .failure(let actual)):
                    #expect("\(actual)" == "\(expected)", "round \(round): \(output.debugDescription)")
                default:
                    Issue.record("round \(round), mask \(mask): \(expected) vs \(actual) for \(output.debugDescription)")
                }
            }
        }
    }

    @Test func changedLinesMatchTheStringReference() {
        var generator = SeededGenerator(seed: 11)
        for round in 0..<400 {
            let old = Self.generate(&generator, lines: Int.random(in: 0..<30, using: &generator))
            var newLines = old.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            for _ in 0..<Int.random(in: 0..<4, using: &generator) {
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: newLines.insert(Self.pieces.randomElement(using: &generator)!,
                    at: Int.random(in: 0...newLines.count, using: &generator))
                case 1 where !newLines.isEmpty: newLines.remove(at: Int.random(in: 0..<newLines.count, using: &generator))
                default: newLines.shuffle(using: &generator)
                }
            }
            let new = newLines.joined(separator: "\n")
            let expected = ReferenceChangedLines(old: old, new: new)
            let actual = ChangedLines(old: old, new: new)
            #expect(actual.added == expected.added, "round \(round): \(old.debugDescription) -> \(new.debugDescription)")
            #expect(actual.removed == expected.removed, "round \(round)")
        }
    }

    @Test func aTableThatGrowsKeepsEveryLine() {
        // More distinct lines than the reserved room: the slots double several times while scanning.
        let old = (0..<5000).map { "interface Gi0/\($0)\n description port \($0)" }.joined(separator: "\n")
        let new = (0..<5000).map { "interface Gi0/\($0)\n description port \($0 == 4321 ? -1 : $0)" }
            .joined(separator: "\n")
        var table = ContextTable(reservingLines: 10)
        var copy = old
        let ids = copy.withUTF8 { table.scan($0) }
        #expect(ids.count == 10_000 && table.count == 10_000)
        let changes = ChangedLines(old: old, new: new)
        #expect(changes.added == [ContextLine(text: " description port -1", ancestors: ["interface Gi0/4321"])])
        #expect(changes.removed == [ContextLine(text: " description port 4321", ancestors: ["interface Gi0/4321"])])
    }
}

/// The String-based normalizer the byte-wise one replaced (same order: trim, refuse truncated, volatile, mask).
private struct ReferenceNormalizer {
    let platform: PlatformRules
    let maskSecrets: Bool

    func normalize(_ output: String) throws -> String {
        var lines = output.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        while let first = lines.first, isBlank(first) || platform.trimHead.contains(where: { $0.matches(first) }) {
            lines.removeFirst()
        }
        while let last = lines.last, isBlank(last) || platform.trimTail.contains(where: { $0.matches(last) }) {
            lines.removeLast()
        }
        let meaningful = lines.count { !isBlank($0) }
        try ConfigNormalizer(platform: platform, maskSecrets: maskSecrets)
            .checkComplete(tail: Array(lines.suffix(3)), lineCount: lines.count, meaningful: meaningful)
        lines.removeAll { line in platform.volatile.contains { $0.matches(line) } }
        if maskSecrets {
            lines = lines.map(ConfigNormalizer(platform: platform, maskSecrets: true).mask)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func isBlank(_ line: String) -> Bool { line.unicodeScalars.allSatisfy(ConfigNormalizer.isBlank) }
}

/// The String-based comparison `ChangedLines` replaced: (text, ancestors) pairs counted in a dictionary.
private struct ReferenceChangedLines {
    var added: [ContextLine] = []
    var removed: [ContextLine] = []

    init(old: String, new: String) {
        let oldLines = Self.lines(old)
        let newLines = Self.lines(new)
        var remaining: [ContextLine: Int] = [:]
        for line in oldLines { remaining[line, default: 0] += 1 }
        for line in newLines {
            if let count = remaining[line], count > 0 { remaining[line] = count - 1 } else { added.append(line) }
        }
        for line in oldLines.reversed() where (remaining[line] ?? 0) > 0 {
            remaining[line]! -= 1
            removed.append(line)
        }
        removed.reverse()
    }

    static func lines(_ text: String) -> [ContextLine] {
        var result: [ContextLine] = []
        var stack: [(indent: Int, line: String)] = []
        for raw in text.utf8.split(separator: UInt8(ascii: "\n")) {
            var line = Substring(String(decoding: raw, as: UTF8.self)).utf8[...]
            while let last = line.last, last == 0x20 || last == 0x09 || last == 0x0D { line = line.dropLast() }
            let body = line.drop { $0 == 0x20 || $0 == 0x09 }
            guard let first = body.first, first != UInt8(ascii: "!"), first != UInt8(ascii: "#"),
                !body.elementsEqual("}".utf8), !body.elementsEqual("};".utf8)
            else { continue }
            let indent = line.count - body.count
            while let top = stack.last, top.indent >= indent { stack.removeLast() }
            let text = String(decoding: line, as: UTF8.self)
            result.append(ContextLine(text: text, ancestors: stack.map(\.line)))
            stack.append((indent, text))
        }
        return result
    }
}
