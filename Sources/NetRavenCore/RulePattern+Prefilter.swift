import Foundation

/// A literal every match must contain, checked before the regular expression runs.
///
/// NSRegularExpression on Linux converts each subject to UTF-16 and goes through ICU: a few microseconds per call.
/// The normalizer and the CLI conversation test every line of a configuration (6,000+ lines at 200 KB) against
/// several patterns, nearly all of which start with a literal (`^ntp clock-period`, `% Invalid input`) that the
/// line does not contain. A byte search rules those lines out first (benchmark P4, docs/benchmarks.md).
extension RulePattern {
    /// The UTF-8 bytes of the literal text the pattern starts with (after an optional `^`), when every match must
    /// contain it; empty when there is no such literal or the pattern is too clever to tell (alternation at the
    /// top level, case-insensitive matching, a leading group or class).
    static func requiredLiteral(of source: String, caseInsensitive: Bool) -> [UInt8] {
        guard !caseInsensitive, !hasTopLevelAlternation(source) else { return [] }
        var scalars = Substring(source).unicodeScalars[...]
        if scalars.first == "^" { scalars = scalars.dropFirst() }
        var literal: [Unicode.Scalar] = []
        let special: Set<Unicode.Scalar> = ["\\", ".", "[", "]", "(", ")", "{", "}", "*", "+", "?", "|", "^", "$"]
        while let scalar = scalars.first {
            if scalar == "\\" {
                // An escaped punctuation character is itself; `\s`, `\d`, `\Q`, `\u1234`... end the literal.
                let next = scalars.dropFirst().first
                guard let next, next.isASCII, !next.properties.isAlphabetic, !("0"..."9").contains(next) else { break }
                literal.append(next)
                scalars = scalars.dropFirst(2)
                continue
            }
            if special.contains(scalar) {
                // A quantifier makes the character before it optional (`ab*`, `ab?`, `ab{0,2}`).
                if scalar == "*" || scalar == "?" || scalar == "{", !literal.isEmpty { literal.removeLast() }
                break
            }
            literal.append(scalar)
            scalars = scalars.dropFirst()
        }
        var bytes: [UInt8] = []
        for scalar in literal { bytes.append(contentsOf: String(scalar).utf8) }
        return bytes
    }

    /// Whether `|` appears outside any group and character class (then no prefix is required of every match).
    static func hasTopLevelAlternation(_ source: String) -> Bool {
        var depth = 0
        var inClass = false
        var escaped = false
        for scalar in source.unicodeScalars {
            if escaped {
                escaped = false
                continue
            }
            switch scalar {
            case "\\": escaped = true
            case "[": inClass = true
            case "]": inClass = false
            case "(" where !inClass: depth += 1
            case ")" where !inClass: depth = max(0, depth - 1)
            case "|" where !inClass && depth == 0: return true
            default: break
            }
        }
        return false
    }

    /// Whether `text` contains `literal` (byte for byte in UTF-8); true for an empty literal.
    static func contains(_ text: String, literal: [UInt8]) -> Bool {
        guard !literal.isEmpty else { return true }
        var text = text
        return text.withUTF8 { ByteLines.contains($0, literal) }
    }
}
