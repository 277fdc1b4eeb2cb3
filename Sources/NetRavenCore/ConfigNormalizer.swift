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
        // Bytes, not Characters: splitting 20 MB by grapheme took a second. The output is rendered terminal text
        // (TerminalText: no `\r` left), so a byte-wise split on LF gives the same lines.
        var lines = output.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        while let first = lines.first, first.trimmingCharacters(in: .whitespaces).isEmpty
            || platform.trimHead.contains(where: { $0.matches(first) })
        {
            lines.removeFirst()
        }
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty
            || platform.trimTail.contains(where: { $0.matches(last) })
        {
            lines.removeLast()
        }
        try checkComplete(lines)
        // Each line is tested against every volatile pattern: the literal prefilter keeps 20 MB configs fast.
        let volatile = platform.volatile.map { (pattern: $0, prefix: $0.anchoredLiteralPrefix) }
        lines.removeAll { line in volatile.contains { $0.pattern.matches(line: line, prefix: $0.prefix) } }
        if maskSecrets {
            lines = lines.map(mask)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func checkComplete(_ lines: [String]) throws {
        if let marker = platform.endMarker {
            // The marker must be the last meaningful line: a config cut mid-way may still contain "end" earlier
            // (a banner, a description), so only the tail counts.
            let tail = lines.suffix(3)
            guard tail.contains(where: { marker.matches($0) }) else {
                throw Truncated(
                    description: "configuration does not end with the end marker /\(marker.source)/ "
                        + "(\(lines.count) lines received); refusing a truncated configuration")
            }
        }
        // Not trimmingCharacters(in:): on Linux it bridges every line to NSString, and a 200 KB config has 6,000+.
        let meaningful = lines.count { line in line.unicodeScalars.contains { !Self.isBlank($0) } }
        guard meaningful >= platform.minimumLines else {
            throw Truncated(
                description: "configuration has \(meaningful) lines, fewer than the platform minimum of "
                    + "\(platform.minimumLines); refusing a truncated configuration")
        }
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
