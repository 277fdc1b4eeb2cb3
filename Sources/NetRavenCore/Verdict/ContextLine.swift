/// One configuration line with the lines it is nested under, by indentation: `permit 10.0.0.0 0.255.255.255` under
/// `ip access-list standard MGMT`, or `encrypted-password "..."` under `system {` / `login {` / `user jdoe {`.
///
/// Comparing versions by line *and* context finds a line that moved to another parent as changed, and lets a
/// sensitive pattern match the parent of a changed child line (a management ACL's entries, a Junos user's key).
public struct ContextLine: Sendable, Hashable {
    /// The line, trimmed of trailing whitespace (leading indentation kept).
    public var text: String
    /// Enclosing lines, outermost first.
    public var ancestors: [String]

    public init(text: String, ancestors: [String] = []) {
        self.text = text
        self.ancestors = ancestors
    }

    /// The lines of a configuration with their contexts. Blank lines, comment markers (`!`, `#`) and closing braces
    /// carry no configuration and are left out.
    public static func lines(of configuration: String) -> [ContextLine] {
        var result: [ContextLine] = []
        var stack: [(indent: Int, text: String)] = []
        // Bytes, not Characters: grapheme breaking made a 20 MB configuration take seconds. Every byte tested here
        // is ASCII, and UTF-8 never uses ASCII bytes inside a multi-byte character, so the lines are the same.
        let (space, tab, cr) = (UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"))
        for raw in configuration.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            var line = raw
            while let last = line.last, last == space || last == tab || last == cr { line = line.dropLast() }
            let body = line.drop { $0 == space || $0 == tab }
            guard let first = body.first, first != UInt8(ascii: "!"), first != UInt8(ascii: "#"),
                !body.elementsEqual("}".utf8), !body.elementsEqual("};".utf8)
            else { continue }
            let indent = line.count - body.count
            while let top = stack.last, top.indent >= indent { stack.removeLast() }
            let text = String(decoding: line, as: UTF8.self)
            result.append(ContextLine(text: text, ancestors: stack.map(\.text)))
            stack.append((indent, text))
        }
        return result
    }
}

/// The lines a change added and removed, compared with their contexts and counted (a line that appears twice and
/// now once is one removal). Order is the order in each version.
public struct ChangedLines: Sendable, Equatable {
    public var added: [ContextLine]
    public var removed: [ContextLine]

    public init(added: [ContextLine] = [], removed: [ContextLine] = []) {
        self.added = added
        self.removed = removed
    }

    /// Compares two versions of a configuration in linear time.
    public init(old: String, new: String) {
        let oldLines = ContextLine.lines(of: old)
        let newLines = ContextLine.lines(of: new)
        var remaining: [ContextLine: Int] = [:]
        for line in oldLines { remaining[line, default: 0] += 1 }
        var added: [ContextLine] = []
        for line in newLines {
            if let count = remaining[line], count > 0 {
                remaining[line] = count - 1
            } else {
                added.append(line)
            }
        }
        var removed: [ContextLine] = []
        for line in oldLines.reversed() {
            if let count = remaining[line], count > 0 {
                remaining[line] = count - 1
                removed.append(line)
            }
        }
        self.added = added
        self.removed = removed.reversed()
    }

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty }
}
