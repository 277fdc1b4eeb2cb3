import Foundation

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
        var configuration = configuration
        return configuration.withUTF8 { bytes in
            var table = ContextTable(reservingLines: bytes.count / 24)
            return table.scan(bytes).map(table.line)
        }
    }
}

/// Every distinct (line, context) of the configurations scanned into it, numbered: the same text under the same
/// chain of parents gets the same id in every version. Comparing 20 MB versions by these ids hashes each line's
/// bytes once and its ancestors never (a `ContextLine` per line, ancestors and all, made it take seconds; a String
/// per line and Swift's hashing of it still took most of a second).
///
/// Lines are kept as pointers into the scanned UTF-8 buffers: a table must not outlive them (it lives inside the
/// `withUTF8` of the texts it scans). Lines are equal when their bytes are, which for configuration text is what
/// a diff should mean (String equality would also equate canonically equivalent Unicode spellings).
struct ContextTable {
    private struct Node {
        var parent: Int32
        var length: Int32
        var start: UnsafePointer<UInt8>
        var hash: UInt64
    }

    private var nodes: [Node] = []
    /// Open addressing: a node id + 1 per slot, 0 for an empty slot; the count is a power of two.
    private var slots: [Int32]
    private static let noParent: Int32 = -1

    /// Room for about `lines` distinct lines before the slots grow (growing re-inserts every node so far).
    init(reservingLines lines: Int) {
        var capacity = 1024
        while capacity < lines * 2 { capacity *= 2 }
        slots = [Int32](repeating: 0, count: capacity)
        nodes.reserveCapacity(lines)
    }

    /// How many distinct ids were handed out.
    var count: Int { nodes.count }

    /// The ids of the configuration's lines, in order (the lines `ContextLine.lines(of:)` keeps).
    mutating func scan(_ configuration: UnsafeBufferPointer<UInt8>) -> [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(configuration.count / 32)
        var stack: [(indent: Int, id: Int32)] = []
        guard let base = configuration.baseAddress else { return result }
        // Every byte tested here is ASCII, and UTF-8 never uses ASCII bytes inside a multi-byte character.
        let (space, tab, cr) = (UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"))
        ByteLines.forEachLine(in: configuration) { range in
            var end = range.upperBound
            while end > range.lowerBound, base[end - 1] == space || base[end - 1] == tab || base[end - 1] == cr {
                end -= 1
            }
            var bodyStart = range.lowerBound
            while bodyStart < end, base[bodyStart] == space || base[bodyStart] == tab { bodyStart += 1 }
            guard bodyStart < end, base[bodyStart] != UInt8(ascii: "!"), base[bodyStart] != UInt8(ascii: "#")
            else { return }
            if base[bodyStart] == UInt8(ascii: "}"),
                end - bodyStart == 1 || (end - bodyStart == 2 && base[bodyStart + 1] == UInt8(ascii: ";"))
            {
                return
            }
            let indent = bodyStart - range.lowerBound
            while let top = stack.last, top.indent >= indent { stack.removeLast() }
            let id = self.id(
                parent: stack.last?.id ?? Self.noParent, start: base + range.lowerBound,
                length: end - range.lowerBound)
            result.append(id)
            stack.append((indent, id))
        }
        return result
    }

    /// The id of the line at `start` under `parent`, a new one if the table has not seen it.
    private mutating func id(parent: Int32, start: UnsafePointer<UInt8>, length: Int) -> Int32 {
        let hash = Self.hash(start, length, parent: parent)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let candidate = nodes[Int(slots[slot] - 1)]
            if candidate.hash == hash, candidate.parent == parent, Int(candidate.length) == length,
                memcmp(candidate.start, start, length) == 0
            {
                return slots[slot] - 1
            }
            slot = (slot + 1) & mask
        }
        let id = Int32(nodes.count)
        nodes.append(Node(parent: parent, length: Int32(length), start: start, hash: hash))
        slots[slot] = id + 1
        if nodes.count * 4 > slots.count * 3 { grow() }
        return id
    }

    /// Doubles the slots and puts every node back (by its stored hash: no line is hashed again).
    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, node) in nodes.enumerated() {
            var slot = Int(truncatingIfNeeded: node.hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index) + 1
        }
    }

    /// A 64-bit hash of a line's bytes and its parent's id: eight bytes at a time, multiply-and-rotate mixing, a
    /// final avalanche (the slot index uses the low bits).
    private static func hash(_ start: UnsafePointer<UInt8>, _ length: Int, parent: Int32) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash = UInt64(truncatingIfNeeded: Int64(parent)) &* multiplier ^ UInt64(length)
        let raw = UnsafeRawPointer(start)
        var offset = 0
        while offset + 8 <= length {
            let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            hash = (hash ^ word) &* multiplier
            hash = (hash << 31) | (hash >> 33)
            offset += 8
        }
        if offset < length {
            var tail: UInt64 = 0
            for index in offset..<length { tail = tail << 8 | UInt64(start[index]) }
            hash = (hash ^ tail) &* multiplier
        }
        hash ^= hash >> 29
        hash = hash &* 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 32
        return hash
    }

    /// The line an id stands for, with its ancestors' texts.
    func line(_ id: Int32) -> ContextLine {
        var ancestors: [String] = []
        var parent = nodes[Int(id)].parent
        while parent != Self.noParent {
            ancestors.append(text(parent))
            parent = nodes[Int(parent)].parent
        }
        return ContextLine(text: text(id), ancestors: ancestors.reversed())
    }

    private func text(_ id: Int32) -> String {
        let node = nodes[Int(id)]
        return String(decoding: UnsafeBufferPointer(start: node.start, count: Int(node.length)), as: UTF8.self)
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
        var old = old
        var new = new
        self = old.withUTF8 { old in new.withUTF8 { new in Self(oldBytes: old, newBytes: new) } }
    }

    /// The comparison on the versions' UTF-8 bytes (the table points into them, so it ends with this call).
    private init(oldBytes old: UnsafeBufferPointer<UInt8>, newBytes new: UnsafeBufferPointer<UInt8>) {
        // Configuration lines average 30-40 bytes; one version's lines are most of both versions' distinct ones.
        var table = ContextTable(reservingLines: max(old.count, new.count) / 24)
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
