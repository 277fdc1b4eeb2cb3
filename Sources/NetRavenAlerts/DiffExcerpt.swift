/// The head of a diff cut at a whole line, with a note saying how much was left out.
struct DiffExcerpt: Equatable {
    /// The kept lines, joined with LF (no trailing LF).
    var text: String
    /// Lines left out.
    var omittedLines: Int

    /// Keeps at most `maxLines` whole lines and `maxCharacters` characters (the note's room included).
    /// A line longer than the whole budget is cut and marked with "…", so a single huge line still shows its start.
    init(_ diff: String, maxLines: Int, maxCharacters: Int) {
        var lines = diff.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        // Room for the note ("… 12345 more lines") so adding it never breaks the limit.
        let budget = max(0, maxCharacters - 32)
        var kept: [String] = []
        var used = 0
        for line in lines {
            guard kept.count < maxLines else { break }
            let cost = line.count + (kept.isEmpty ? 0 : 1)
            if used + cost > budget {
                if kept.isEmpty && budget > 1 {
                    kept.append(String(line.prefix(budget - 1)) + "…")
                }
                break
            }
            kept.append(line)
            used += cost
        }
        text = kept.joined(separator: "\n")
        omittedLines = lines.count - kept.count
    }

    /// The kept text with the "… N more lines" note when anything was left out.
    var withNote: String {
        guard omittedLines > 0 else { return text }
        let note = "… \(omittedLines) more line\(omittedLines == 1 ? "" : "s")"
        return text.isEmpty ? note : text + "\n" + note
    }
}
