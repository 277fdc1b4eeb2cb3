/// A literal text every match of a rule's regular expression must contain, derived from the pattern itself: the
/// change rules run on every received message, almost all of which are noise, and a byte search for a literal
/// is far cheaper than the regex engine. Rules stay data; nothing here is specific to a vendor.
///
/// The derivation is conservative: it reads only the pattern's top level (characters outside groups, classes and
/// alternations), drops a character that a quantifier makes optional or repeatable, and gives nil whenever it is
/// unsure (a top-level `|`, an inline flag such as `(?i)` that changes what later characters match, escapes of
/// letters and digits, a case-insensitive pattern). Nil means: always run the regex.
public struct RuleLiteral: Sendable, Equatable {
    /// The literal's UTF-8 bytes.
    public let bytes: [UInt8]

    /// Shorter literals filter too little to be worth the extra search.
    static let minimumLength = 3

    /// The longest required literal of `pattern`, or nil (see the type's documentation).
    public init?(pattern: String, caseInsensitive: Bool = false) {
        guard !caseInsensitive, let runs = Self.requiredRuns(Array(pattern.unicodeScalars)) else { return nil }
        guard let longest = runs.max(by: { $0.count < $1.count }), longest.count >= Self.minimumLength else {
            return nil
        }
        bytes = Array(String(String.UnicodeScalarView(longest)).utf8)
    }

    /// Whether `text` contains the literal.
    public func isContained(in text: String) -> Bool {
        var text = text
        return text.withUTF8 { ByteLines.contains($0, bytes) }
    }

    /// The runs of literal characters at the pattern's top level, or nil when the pattern is outside what the
    /// derivation understands.
    private static func requiredRuns(_ scalars: [Unicode.Scalar]) -> [[Unicode.Scalar]]? {
        var runs: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        func endRun() {
            if !current.isEmpty { runs.append(current) }
            current = []
        }
        var index = 0
        // Appends a literal character, unless a quantifier after it makes it optional or repeatable.
        func literal(_ scalar: Unicode.Scalar, next: Int) {
            if next < scalars.count, "?*+{".unicodeScalars.contains(scalars[next]) {
                // `x+` still requires one x, but the run cannot continue across it.
                if scalars[next] == "+" { current.append(scalar) }
                endRun()
            } else {
                current.append(scalar)
            }
        }
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\\":
                guard index + 1 < scalars.count else { return nil }
                let escaped = scalars[index + 1]
                if escaped.properties.isAlphabetic || ("0"..."9").contains(escaped) {
                    // \s \d \w \b ...: a class or an assertion, one character long; \x41 \p{L} \Q \1 and
                    // the like span more of the pattern: give up rather than read them.
                    guard "sSdDwWbBhHvVntrfeaAzZG".unicodeScalars.contains(escaped) else { return nil }
                    endRun()
                    index += 2
                    if index < scalars.count, "?*+{".unicodeScalars.contains(scalars[index]) { index += 1 }
                } else {
                    literal(escaped, next: index + 2)
                    index += 2
                }
            case "|":
                return nil
            case "(":
                if index + 2 < scalars.count, scalars[index + 1] == "?" {
                    let kind = scalars[index + 2]
                    // Scoped constructs are skipped whole; an inline flag without a colon changes the rest.
                    if !(kind == ":" || kind == "<" || kind == "=" || kind == "!" || kind == ">") {
                        var probe = index + 2
                        while probe < scalars.count, scalars[probe] != ":" && scalars[probe] != ")" { probe += 1 }
                        if probe >= scalars.count || scalars[probe] == ")" { return nil }
                    }
                }
                endRun()
                guard let end = closingParenthesis(scalars, from: index) else { return nil }
                index = end + 1
                if index < scalars.count, "?*+{".unicodeScalars.contains(scalars[index]) { index += 1 }
            case "[":
                endRun()
                guard let end = closingBracket(scalars, from: index) else { return nil }
                index = end + 1
                if index < scalars.count, "?*+{".unicodeScalars.contains(scalars[index]) { index += 1 }
            case ".", "^", "$":
                endRun()
                index += 1
                if index < scalars.count, "?*+{".unicodeScalars.contains(scalars[index]) { index += 1 }
            case "{":
                // A counted quantifier ({2}, {0,3}) after what it repeats, which already ended the run.
                endRun()
                guard let end = scalars[index...].firstIndex(of: "}") else { return nil }
                index = end + 1
            case "?", "*", "+":
                endRun()
                index += 1
            case "}", ")", "]":
                // Unbalanced: not a pattern this reading understands.
                return nil
            default:
                literal(scalar, next: index + 1)
                index += 1
            }
        }
        endRun()
        return runs
    }

    /// The index of the `)` closing the group opened at `start`, skipping escapes and classes.
    private static func closingParenthesis(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var depth = 0
        var index = start
        while index < scalars.count {
            switch scalars[index] {
            case "\\": index += 1
            case "[":
                guard let end = closingBracket(scalars, from: index) else { return nil }
                index = end
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
            index += 1
        }
        return nil
    }

    /// The index of the `]` closing the class opened at `start` (a `]` right after `[` or `[^` is a member).
    private static func closingBracket(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start + 1
        if index < scalars.count, scalars[index] == "^" { index += 1 }
        if index < scalars.count, scalars[index] == "]" { index += 1 }
        while index < scalars.count {
            switch scalars[index] {
            case "\\": index += 1
            case "[": if index + 1 < scalars.count, scalars[index + 1] == ":" {
                    // POSIX class [:alpha:] inside a class.
                    while index < scalars.count, scalars[index] != "]" { index += 1 }
                }
            case "]": return index
            default: break
            }
            index += 1
        }
        return nil
    }
}
