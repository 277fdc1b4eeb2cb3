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
        var table = ContextTable()
        return table.scan(configuration).map(table.line)
    }
}

/// Every distinct (line, context) of the configurations scanned into it, numbered: the same text under the same
/// chain of parents gets the same id in every version. Comparing 20 MB versions by these ids hashes each line's
/// text once and its ancestors never (a `ContextLine` per line, ancestors and all, made it take seconds).
struct ContextTable {
    private struct Node: Hashable {
        var parent: Int32
        var text: String
    }

    private var ids: [Node: Int32] = [:]
    private var nodes: [Node] = []
    private static let noParent: Int32 = -1

    /// Room for about `lines` distinct lines without growing the table (growing rehashes every line so far).
    mutating func reserve(lines: Int) {
        ids.reserveCapacity(lines)
        nodes.reserveCapacity(lines)
    }

    /// How many distinct ids were handed out.
    var count: Int { nodes.count }

    /// The ids of the configuration's lines, in order (the lines `ContextLine.lines(of:)` keeps).
    mutating func scan(_ configuration: String) -> [Int32] {
        var result: [Int32] = []
        var stack: [(indent: Int, id: Int32)] = []
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
            let node = Node(parent: stack.last?.id ?? Self.noParent, text: String(decoding: line, as: UTF8.self))
            let id: Int32
            if let known = ids[node] {
                id = known
            } else {
                id = Int32(nodes.count)
                ids[node] = id
                nodes.append(node)
            }
            result.append(id)
            stack.append((indent, id))
        }
        return result
    }

    /// The line an id stands for, with its ancestors' texts.
    func line(_ id: Int32) -> ContextLine {
        var ancestors: [String] = []
        var parent = nodes[Int(id)].parent
        while parent != Self.noParent {
            ancestors.append(nodes[Int(parent)].text)
            parent = nodes[Int(parent)].parent
        }
        return ContextLine(text: nodes[Int(id)].text, ancestors: ancestors.reversed())
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
        var table = ContextTable()
        // Configuration lines average 30-40 bytes; one version's lines are most of both versions' distinct ones.
        table.reserve(lines: max(old.utf8.count, new.utf8.count) / 24)
        let oldIDs = table.scan(old)
        let newIDs = table.scan(new)
        // Ids are dense: a count per id instead of a dictionary.
        var remaining = [Int32](repeating: 0, count: table.count)
        for id in oldIDs { remaining[Int(id)] += 1 }
        var added: [ContextLine] = []
        for id in newIDs {
            if remaining[Int(id)] > 0 {
                remaining[Int(id)] -= 1
            } else {
                added.append(table.line(id))
            }
        }
        var removed: [ContextLine] = []
        for id in oldIDs.reversed() where remaining[Int(id)] > 0 {
            remaining[Int(id)] -= 1
            removed.append(table.line(id))
        }
        self.added = added
        self.removed = removed.reversed()
    }

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty }
}
