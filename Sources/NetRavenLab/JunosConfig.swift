/// A Junos configuration as a tree, to print it as `display set` and to apply `set` / `delete` edits.
///
/// The curly-brace text is the canonical form; the tree is built when needed and serialised back with
/// Junos's 4-space indentation, so an unchanged configuration round-trips byte for byte.
final class JunosNode {
    var text: String
    /// `nil` for a leaf statement (`text` ends with ";"), the statements of a block otherwise.
    var children: [JunosNode]?

    init(text: String, children: [JunosNode]?) {
        self.text = text
        self.children = children
    }

    static func parse(_ config: String) -> JunosNode {
        let root = JunosNode(text: "", children: [])
        var stack = [root]
        for raw in config.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = raw.trimmingSpaces()
            if line.isEmpty { continue }
            if line == "}" {
                if stack.count > 1 { stack.removeLast() }
            } else if line.hasSuffix(" {") || line == "{" {
                let node = JunosNode(text: String(line.dropLast(2)), children: [])
                stack[stack.count - 1].children?.append(node)
                stack.append(node)
            } else {
                stack[stack.count - 1].children?.append(JunosNode(text: String(line), children: nil))
            }
        }
        return root
    }

    func serialized() -> String {
        var out = ""
        for child in children ?? [] { child.write(into: &out, depth: 0) }
        return out
    }

    private func write(into out: inout String, depth: Int) {
        let indent = String(repeating: " ", count: depth * 4)
        if let children {
            out += indent + text + " {\n"
            for child in children { child.write(into: &out, depth: depth + 1) }
            out += indent + "}\n"
        } else {
            out += indent + text + "\n"
        }
    }

    /// The `show configuration | display set` lines.
    func setLines() -> [String] {
        var lines: [String] = []
        for child in children ?? [] { child.collectSet(path: "set", into: &lines) }
        return lines
    }

    private func collectSet(path: String, into lines: inout [String]) {
        if let children {
            let here = path + " " + text
            if children.isEmpty { lines.append(here) }
            for child in children { child.collectSet(path: here, into: &lines) }
            return
        }
        if text.hasPrefix("#") || text.hasPrefix("/*") { return }
        let statement = Self.statement(text)
        // `members [ a b ];` is one line per member in set form.
        if let open = statement.firstIndex(of: "["), statement.hasSuffix("]") {
            let head = statement[..<open].trimmingSpaces()
            let items = statement[statement.index(after: open)..<statement.index(before: statement.endIndex)]
            for item in items.split(separator: " ") { lines.append("\(path) \(head) \(item)") }
        } else {
            lines.append(path + " " + statement)
        }
    }

    /// A leaf's statement without the trailing ";" and any "## SECRET-DATA" comment.
    static func statement(_ text: String) -> String {
        var s = Substring(text)
        if let comment = s.range(of: " ## ") { s = s[..<comment.lowerBound] }
        s = s.trimmingSpaces()
        if s.hasSuffix(";") { s = s.dropLast() }
        return String(s)
    }

    /// Applies `set A B C` (adds a statement under the deepest existing matching block).
    func applySet(_ words: [String]) {
        var node = self
        var rest = words[...]
        while let (child, used) = node.matchingBlock(rest) {
            node = child
            rest = rest.dropFirst(used)
        }
        guard !rest.isEmpty else { return }
        let statement = rest.joined(separator: " ")
        if node.children?.contains(where: { $0.children == nil && Self.statement($0.text) == statement }) == true {
            return
        }
        node.children?.append(JunosNode(text: statement + ";", children: nil))
    }

    /// Applies `delete A B C`: removes the matching statement or block. Returns whether anything was removed.
    @discardableResult
    func applyDelete(_ words: [String]) -> Bool {
        var node = self
        var rest = words[...]
        while !rest.isEmpty {
            let statement = rest.joined(separator: " ")
            if let i = node.children?.firstIndex(where: {
                ($0.children == nil && Self.statement($0.text) == statement) || ($0.children != nil && $0.text == statement)
            }) {
                node.children?.remove(at: i)
                return true
            }
            if let (child, used) = node.matchingBlock(rest) {
                node = child
                rest = rest.dropFirst(used)
                continue
            }
            // `delete snmp location` removes `location "Lab rack 4";`: the value is optional.
            if let i = node.children?.firstIndex(where: {
                $0.children == nil && Self.statement($0.text).hasPrefix(statement + " ")
            }) {
                node.children?.remove(at: i)
                return true
            }
            return false
        }
        return false
    }

    private func matchingBlock(_ words: ArraySlice<String>) -> (JunosNode, Int)? {
        var best: (JunosNode, Int)?
        for child in children ?? [] where child.children != nil {
            let name = child.text.split(separator: " ").map(String.init)
            if name.count <= words.count, Array(words.prefix(name.count)) == name, name.count > (best?.1 ?? 0) {
                best = (child, name.count)
            }
        }
        return best
    }

    /// Splits a `set` line into words, keeping quoted strings together.
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        for ch in line {
            if ch == "\"" { quoted.toggle() }
            if ch == " " && !quoted {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}

extension StringProtocol {
    func trimmingSpaces() -> SubSequence {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return s
    }
}
