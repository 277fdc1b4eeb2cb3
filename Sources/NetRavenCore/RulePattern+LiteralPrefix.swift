/// A cheap test before the regular expression: most patterns that drop volatile lines (`^! Last configuration change
/// at`, `^ntp clock-period`) start with `^` and plain text, and most lines of a 20 MB configuration do not start
/// with that text. NSRegularExpression costs microseconds per call (a String bridged to NSString each time); a byte
/// comparison costs nanoseconds. Only a "cannot match" is decided here; every possible match still runs the regex.
extension RulePattern {
    /// The bytes every match starts with at a line start: the plain text after a leading `^`, for a pattern without
    /// alternation and compiled case-sensitively; nil when there is no such text.
    var anchoredLiteralPrefix: [UInt8]? {
        guard !isCaseInsensitive, source.hasPrefix("^"), !source.contains("|") else { return nil }
        let metacharacters: Set<Character> = ["\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "^", "$", "#"]
        var literal: [Character] = []
        var rest = source.dropFirst()
        while let next = rest.first, !metacharacters.contains(next) {
            literal.append(next)
            rest = rest.dropFirst()
        }
        // A quantifier binds to the character before it, which may then be absent: leave that one out.
        if let next = rest.first, "*?{+".contains(next), !literal.isEmpty { literal.removeLast() }
        return literal.isEmpty ? nil : Array(String(literal).utf8)
    }

    /// Whether the pattern matches `line`, with `prefix` its ``anchoredLiteralPrefix`` (computed once per batch).
    /// A line holding a line terminator (where `^` could match again) always goes to the regex.
    func matches(line: String, prefix: [UInt8]?) -> Bool {
        if let prefix, !line.utf8.starts(with: prefix), !line.utf8.contains(where: Self.mayEndALine) { return false }
        return matches(line)
    }

    /// Byte-wise `matches(line:prefix:)` without the regular expression: false when the pattern cannot match the
    /// UTF-8 `line`, true when it may (then ask `matches`). `mayEndALine` is `RulePattern.mayHoldLineTerminator(line)`,
    /// computed once per line by a caller testing several patterns.
    func mayMatch(line: UnsafeBufferPointer<UInt8>, prefix: [UInt8]?, mayEndALine: Bool) -> Bool {
        if let prefix, !mayEndALine, !ByteLines.starts(line, with: prefix) { return false }
        return mayMatch(line)
    }

    /// Whether UTF-8 `line` holds a byte that may be or start one of ICU's line terminators.
    static func mayHoldLineTerminator(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        line.contains(where: mayEndALine)
    }

    /// ICU's line terminators are \n, \v, \f, \r and three non-ASCII ones (U+0085, U+2028, U+2029).
    private static func mayEndALine(_ byte: UInt8) -> Bool {
        (0x0A...0x0D).contains(byte) || byte >= 0x80
    }
}
