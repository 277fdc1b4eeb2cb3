import Foundation

/// Turns a command's cleaned output into the configuration NetRaven stores, and decides whether it is complete.
///
/// Order: trim head/tail debris, refuse truncated output, drop volatile lines, mask secrets (when asked).
/// The stored file is exactly the normalized text, so "changed" means "the stored file differs".
public struct ConfigNormalizer: Sendable {
    public let platform: PlatformRules
    public let maskSecrets: Bool
    /// What replaces a secret when masking is on.
    public static let secretMarker = "<removed>"

    public init(platform: PlatformRules, maskSecrets: Bool) {
        self.platform = platform
        self.maskSecrets = maskSecrets
    }

    /// Why output was refused.
    public struct Truncated: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The configuration to store.
    /// - Throws: `Truncated` when the end marker is missing or there are fewer lines than the platform's minimum.
    public func normalize(_ output: String) throws -> String {
        var output = output
        return try output.withUTF8 { try normalize(bytes: $0) }
    }

    /// The work of `normalize` on the output's UTF-8 bytes. Lines are byte ranges (memchr for LF) and a String is
    /// made only of a line a pattern may match: a String per line of a 20 MB configuration cost more than the rest.
    /// The output is rendered terminal text (TerminalText: no `\r` left), so splitting at LF gives its lines.
    private func normalize(bytes: UnsafeBufferPointer<UInt8>) throws -> String {
        let lines = ByteLines.ranges(in: bytes)
        func line(_ index: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[lines[index]]) }
        func text(_ index: Int) -> String { String(decoding: line(index), as: UTF8.self) }
        func blank(_ index: Int) -> Bool { Self.isBlankLine(line(index)) }

        var first = 0
        var end = lines.count
        while first < end, blank(first) || platform.trimHead.contains(where: { $0.matches(text(first)) }) {
            first += 1
        }
        while end > first, blank(end - 1) || platform.trimTail.contains(where: { $0.matches(text(end - 1)) }) {
            end -= 1
        }
        let meaningful = (first..<end).count { !blank($0) }
        try checkComplete(tail: (max(first, end - 3)..<end).map(text), lineCount: end - first, meaningful: meaningful)

        // Each line is tested against every volatile pattern: the literal prefilter keeps 20 MB configs fast.
        let volatile = platform.volatile.map { (pattern: $0, prefix: $0.anchoredLiteralPrefix) }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 1)
        for index in first..<end {
            let bytes = line(index)
            let mayEndALine = RulePattern.mayHoldLineTerminator(bytes)
            let isVolatile = volatile.contains { entry in
                entry.pattern.mayMatch(line: bytes, prefix: entry.prefix, mayEndALine: mayEndALine)
                    && entry.pattern.matches(text(index))
            }
            if isVolatile { continue }
            if maskSecrets, platform.secrets.contains(where: { $0.mayMatch(bytes) }) {
                result.append(contentsOf: mask(text(index)).utf8)
            } else {
                result.append(contentsOf: bytes)
            }
            result.append(UInt8(ascii: "\n"))
        }
        // No line left: the text is one empty line, as joining no lines and adding the final LF gave.
        if result.isEmpty { result.append(UInt8(ascii: "\n")) }
        return String(decoding: result, as: UTF8.self)
    }

    /// Refuses output whose last lines (`tail`, at most three) lack the end marker, or with fewer than the platform's
    /// minimum of meaningful (not blank) lines.
    func checkComplete(tail: [String], lineCount: Int, meaningful: Int) throws {
        if let marker = platform.endMarker {
            // The marker must be the last meaningful line: a config cut mid-way may still contain "end" earlier
            // (a banner, a description), so only the tail counts.
            guard tail.contains(where: { marker.matches($0) }) else {
                throw Truncated(
                    description: "configuration does not end with the end marker /\(marker.source)/ "
                        + "(\(lineCount) lines received); refusing a truncated configuration")
            }
        }
        guard meaningful >= platform.minimumLines else {
            throw Truncated(
                description: "configuration has \(meaningful) lines, fewer than the platform minimum of "
                    + "\(platform.minimumLines); refusing a truncated configuration")
        }
    }

    /// Whether a UTF-8 line holds only spaces and tabs (Unicode's space separators too), as
    /// `trimmingCharacters(in: .whitespaces).isEmpty` tells, without bridging to NSString.
    static func isBlankLine(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var nonASCII = false
        for byte in line where byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") {
            guard byte >= 0x80 else { return false }
            nonASCII = true
        }
        return !nonASCII || String(decoding: line, as: UTF8.self).unicodeScalars.allSatisfy(isBlank)
    }

    /// What `CharacterSet.whitespaces` holds: a space or tab (Unicode general category Zs, plus tab).
    static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
    }

    /// `line` with the text of every matching pattern's `secret` group replaced by the marker.
    public func mask(_ line: String) -> String {
        var result = line
        for pattern in platform.secrets {
            // A line may hold more than one secret (a key and a password): repeat until no unmasked match remains.
            var guardCount = 0
            while guardCount < 8, let match = pattern.firstMatch(in: result, groups: ["secret"]),
                let range = match.groupRanges["secret"], result[range] != Self.secretMarker
            {
                result.replaceSubrange(range, with: Self.secretMarker)
                guardCount += 1
            }
        }
        return result
    }
}
