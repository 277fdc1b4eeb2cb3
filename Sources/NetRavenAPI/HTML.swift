import Foundation

/// Server-rendered HTML pieces: escaping and the page frame with its inline stylesheet.
enum HTML {
    /// Escapes text for an element body or a quoted attribute: everything from devices and configurations goes
    /// through here.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// A path segment for a link (device names may hold characters that mean something in a URL).
    static func pathSegment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    static func date(_ date: Date?) -> String {
        guard let date else { return "—" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }

    /// The frame every page shares; `body` is already escaped HTML.
    static func page(title: String, user: String?, body: String) -> String {
        let navigation: String
        if let user {
            navigation = """
                <nav><a href="/">Devices</a> <a href="/activity">Events and jobs</a>
                <form method="post" action="/logout" class="inline"><span class="muted">\(escape(user))</span>
                <button type="submit">Log out</button></form></nav>
                """
        } else {
            navigation = "<nav></nav>"
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) · NetRaven</title>
            <style>\(stylesheet)</style></head>
            <body><header><strong>NetRaven</strong> \(navigation)</header>
            <main>\(body)</main></body></html>
            """
    }

    static let stylesheet = """
        body{font-family:system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
        header{background:#1d2330;color:#fff;padding:.6rem 1rem;display:flex;gap:1.5rem;align-items:center}
        header a{color:#cfe0ff;margin-right:1rem}nav{display:flex;align-items:center;gap:.5rem;flex:1}
        form.inline{display:inline;margin-left:auto}main{padding:1rem 1.5rem}
        table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:1.5rem}
        th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #e3e6eb;font-size:.9rem;vertical-align:top}
        th{background:#eef1f5}.muted{color:#6b7383}.ok{color:#1a7f37}.bad{color:#b42318;font-weight:600}
        .warn{color:#9a6700;font-weight:600}
        pre.diff{background:#fff;border:1px solid #e3e6eb;padding:.5rem;overflow-x:auto;font-size:.85rem}
        pre.diff span{display:block}.add{background:#e6ffec;color:#116329}.del{background:#ffebe9;color:#82071e}
        .hunk{color:#0550ae}.file{color:#6b7383}code{font-size:.85rem}tr.selected td{background:#fff8c5}
        button{padding:.3rem .8rem}input[type=password]{width:24rem;padding:.3rem}
        """

    /// A unified diff with added, removed and hunk lines coloured.
    static func diff(_ text: String) -> String {
        guard !text.isEmpty else { return "<p class=\"muted\">No differences.</p>" }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let escaped = line.isEmpty ? " " : escape(String(line))
            if line.hasPrefix("+++") || line.hasPrefix("---") || line.hasPrefix("diff ") {
                return "<span class=\"file\">\(escaped)</span>"
            }
            if line.hasPrefix("+") { return "<span class=\"add\">\(escaped)</span>" }
            if line.hasPrefix("-") { return "<span class=\"del\">\(escaped)</span>" }
            if line.hasPrefix("@@") { return "<span class=\"hunk\">\(escaped)</span>" }
            return "<span>\(escaped)</span>"
        }
        return "<pre class=\"diff\">" + lines.joined() + "</pre>"
    }
}
