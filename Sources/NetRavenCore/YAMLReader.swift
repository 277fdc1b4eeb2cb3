import Foundation
import Yams

/// A position in a YAML file, kept with every value read from it so later checks can point at it.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    /// A diagnostic at this location.
    public func diagnostic(_ message: String) -> Diagnostic {
        Diagnostic(file: file, line: line, column: column, message: message)
    }
}

/// A parsed YAML file: its root node and name, for readers that report positions.
struct YAMLFile {
    let path: String
    let root: Node?

    /// Reads and composes `path`; syntax errors become diagnostics with the parser's line and column.
    static func load(path: String, diagnostics: DiagnosticCollector) -> YAMLFile? {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            diagnostics.add(Diagnostic(file: path, line: 0, column: 0, message: "cannot read file: \(readableReason(error))"))
            return nil
        }
        return parse(text: text, path: path, diagnostics: diagnostics)
    }

    static func parse(text: String, path: String, diagnostics: DiagnosticCollector) -> YAMLFile? {
        let lastLine = text.unicodeScalars.reversed().prefix { !Self.isLineBreak($0) }
        diagnostics.noteEnd(of: path, line: lineBreakCount(text) + 1, column: lastLine.count + 1)
        do {
            return YAMLFile(path: path, root: try Yams.compose(yaml: text))
        } catch let error as YamlError {
            diagnostics.add(Self.diagnostic(for: error, path: path))
            return nil
        } catch {
            diagnostics.add(Diagnostic(file: path, line: 0, column: 0, message: "invalid YAML: \(error)"))
            return nil
        }
    }

    /// Line breaks as YAML counts them: LF, CR, CRLF (one), NEL, LS and PS.
    static func lineBreakCount(_ text: String) -> Int {
        var count = 0
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if isLineBreak(scalar), !(scalar == "\n" && previous == "\r") { count += 1 }
            previous = scalar
        }
        return count
    }

    private static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(scalar)
    }

    private static func diagnostic(for error: YamlError, path: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text); " } ?? ""
            return Diagnostic(file: path, line: mark.line, column: mark.column, message: "invalid YAML: \(prefix)\(problem)")
        default:
            return Diagnostic(file: path, line: 0, column: 0, message: "invalid YAML: \(error)")
        }
    }
}

func readableReason(_ error: any Error) -> String {
    if let cocoa = error as? CocoaError {
        switch cocoa.code {
        case .fileReadNoSuchFile, .fileNoSuchFile: return "no such file"
        case .fileReadNoPermission: return "permission denied"
        case .fileReadInapplicableStringEncoding, .fileReadCorruptFile: return "not UTF-8 text"
        default: break
        }
    }
    let ns = error as NSError
    if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain,
        let message = strerror(Int32(posix.code))
    {
        return String(cString: message)
    }
    return ns.localizedDescription
}

/// Reads one YAML node with location-aware diagnostics; a value of the wrong type is reported, never guessed.
struct NodeReader {
    let node: Node
    let file: String
    let diagnostics: DiagnosticCollector
    /// The dotted path of this node, for messages ("devices[3].port").
    let path: String

    var location: SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0)
    }

    func error(_ message: String) {
        diagnostics.add(location.diagnostic(message))
    }

    var isNull: Bool {
        if case .scalar(let scalar) = node {
            return scalar.tag == Tag(.null) || (scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string))
        }
        return false
    }

    /// A scalar as text; any scalar is accepted (numbers are text too), collections are errors.
    func string() -> String? {
        guard case .scalar(let scalar) = node, !isNull else {
            error("\(path) must be a string, found \(kindName)")
            return nil
        }
        return scalar.string
    }

    func int(in range: ClosedRange<Int>? = nil) -> Int? {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            error("\(path) must be a whole number, found \(describe)")
            return nil
        }
        if let range, !range.contains(value) {
            error("\(path) must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
            return nil
        }
        return value
    }

    func bool() -> Bool? {
        if case .scalar(let scalar) = node, scalar.style == .plain {
            switch scalar.string.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: break
            }
        }
        error("\(path) must be true or false, found \(describe)")
        return nil
    }

    /// A duration written as a number of seconds (`30`, `2.5`) or with a unit (`500ms`, `30s`, `5m`, `1h`).
    func duration() -> Duration? {
        guard case .scalar(let scalar) = node, let value = Self.parseDuration(scalar.string) else {
            error("\(path) must be a duration such as 30s, 500ms, 5m or 1h, found \(describe)")
            return nil
        }
        return value
    }

    static func parseDuration(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count)
            // "ms" also ends in "s": only accept a clean number before the unit.
            guard let value = Double(number), value >= 0 else { continue }
            return .milliseconds(Int64((value * factor * 1000).rounded()))
        }
        guard let seconds = Double(trimmed), seconds >= 0 else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    func regex() -> RulePattern? {
        guard let source = string() else { return nil }
        do {
            return try RulePattern(source, location: location)
        } catch let invalid as RulePattern.InvalidPattern {
            self.error("\(path) is not a valid regular expression: \(invalid.reason)")
            return nil
        } catch {
            self.error("\(path) is not a valid regular expression")
            return nil
        }
    }

    func sequence() -> [NodeReader]? {
        guard case .sequence(let sequence) = node else {
            error("\(path) must be a list, found \(kindName)")
            return nil
        }
        return sequence.enumerated().map { index, child in
            NodeReader(node: child, file: file, diagnostics: diagnostics, path: "\(path)[\(index)]")
        }
    }

    /// A list of strings; a single string is accepted as a one-element list.
    func stringList() -> [String]? {
        if case .scalar = node, !isNull {
            return string().map { [$0] }
        }
        guard let items = sequence() else { return nil }
        return items.compactMap { $0.string() }
    }

    func regexList() -> [RulePattern]? {
        if case .scalar = node, !isNull {
            return regex().map { [$0] }
        }
        guard let items = sequence() else { return nil }
        return items.compactMap { $0.regex() }
    }

    /// A mapping whose keys must all be in `allowed`; unknown keys are reported at their own position.
    func mapping(allowed: Set<String>) -> MappingReader? {
        guard case .mapping(let mapping) = node else {
            error("\(path) must be a mapping (key: value), found \(kindName)")
            return nil
        }
        var entries: [(key: String, keyReader: NodeReader, value: NodeReader)] = []
        var seen: [String: SourceLocation] = [:]
        for (keyNode, valueNode) in mapping {
            let keyText = keyNode.string ?? ""
            let childPath = path.isEmpty ? keyText : "\(path).\(keyText)"
            let keyReader = NodeReader(node: keyNode, file: file, diagnostics: diagnostics, path: childPath)
            if !allowed.contains(keyText) {
                let known = allowed.sorted().joined(separator: ", ")
                keyReader.error("unknown key '\(keyText)'\(path.isEmpty ? "" : " in \(path)") (known keys: \(known))")
                continue
            }
            if let previous = seen[keyText] {
                keyReader.error("duplicate key '\(keyText)' (first at line \(previous.line))")
                continue
            }
            seen[keyText] = keyReader.location
            entries.append((keyText, keyReader, NodeReader(node: valueNode, file: file, diagnostics: diagnostics, path: childPath)))
        }
        return MappingReader(reader: self, entries: entries)
    }

    /// A mapping with free-form keys (names of devices, credential sets, groups).
    func namedEntries() -> [(name: String, keyLocation: SourceLocation, value: NodeReader)]? {
        guard case .mapping(let mapping) = node else {
            error("\(path) must be a mapping (name: ...), found \(kindName)")
            return nil
        }
        var result: [(String, SourceLocation, NodeReader)] = []
        var seen: [String: SourceLocation] = [:]
        for (keyNode, valueNode) in mapping {
            let name = keyNode.string ?? ""
            let keyReader = NodeReader(node: keyNode, file: file, diagnostics: diagnostics, path: path)
            if let previous = seen[name] {
                keyReader.error("duplicate name '\(name)' in \(path) (first at line \(previous.line))")
                continue
            }
            seen[name] = keyReader.location
            let child = NodeReader(node: valueNode, file: file, diagnostics: diagnostics, path: "\(path).\(name)")
            result.append((name, keyReader.location, child))
        }
        return result
    }

    var kindName: String {
        switch node {
        case .scalar: return isNull ? "nothing (null)" : "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    private var describe: String {
        if case .scalar(let scalar) = node, !isNull { return "'\(scalar.string)'" }
        return kindName
    }
}

/// The entries of a mapping read through `NodeReader.mapping(allowed:)`; tracks required keys.
struct MappingReader {
    let reader: NodeReader
    let entries: [(key: String, keyReader: NodeReader, value: NodeReader)]

    var location: SourceLocation { reader.location }

    subscript(key: String) -> NodeReader? {
        entries.first { $0.key == key }?.value
    }

    func has(_ key: String) -> Bool { self[key] != nil }

    /// The value for `key`, reporting it missing at the mapping's position when required.
    func required(_ key: String) -> NodeReader? {
        if let value = self[key] { return value }
        let what = reader.path.isEmpty ? "" : " in \(reader.path)"
        reader.error("missing required key '\(key)'\(what)")
        return nil
    }

    func string(_ key: String, required: Bool = false) -> String? {
        guard let value = required ? self.required(key) : self[key] else { return nil }
        if !required && value.isNull { return nil }
        return value.string()
    }
}
