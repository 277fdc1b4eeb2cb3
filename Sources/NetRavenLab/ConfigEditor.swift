/// Applies an engineer's line edits to a configuration body, per platform.
struct ConfigEditor {
    let platform: LabPlatform

    func apply(_ change: LabConfigChange, to config: String) -> String {
        if platform == .juniperJunos {
            let tree = JunosNode.parse(config)
            for line in change.remove { tree.applyDelete(words(line, dropping: ["delete", "set"])) }
            for line in change.add { tree.applySet(words(line, dropping: ["set"])) }
            return tree.serialized()
        }
        var lines = config.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        for target in change.remove {
            let wanted = target.trimmingSpaces()
            guard let i = lines.firstIndex(where: { $0.trimmingSpaces() == wanted }) else { continue }
            // Removing a block header ("interface X") removes its indented body too, like "no interface X".
            let depth = lines[i].prefix(while: { $0 == " " }).count
            var j = i + 1
            while j < lines.count, lines[j].first == " ", lines[j].prefix(while: { $0 == " " }).count > depth {
                j += 1
            }
            lines.removeSubrange(i..<j)
        }
        let insertAt = lines.lastIndex(of: "end") ?? lines.count
        lines.insert(contentsOf: change.add, at: insertAt)
        return lines.joined(separator: "\n") + "\n"
    }

    private func words(_ line: String, dropping verbs: [String]) -> [String] {
        var w = JunosNode.words(line)
        if let first = w.first, verbs.contains(first) { w.removeFirst() }
        return w
    }
}
