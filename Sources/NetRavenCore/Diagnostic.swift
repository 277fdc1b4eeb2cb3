import Foundation

/// One problem found in a configuration or rules file, located as `file:line:column`.
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file the problem is in, as the user named it.
    public var file: String
    /// 1-based line, or 0 when the problem concerns the whole file.
    public var line: Int
    /// 1-based column, or 0 when unknown.
    public var column: Int
    /// What is wrong, in words a network engineer understands.
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(file):\(line):\(max(column, 1)): \(message)" : "\(file): \(message)"
    }
}

/// Every problem found while loading, so a single run reports all of them rather than the first.
public struct DiagnosticError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

/// Collects diagnostics while a loader walks its input.
///
/// A reference type so nested readers append to one list; confined to the loading call that owns it.
public final class DiagnosticCollector {
    public private(set) var diagnostics: [Diagnostic] = []
    /// Where each YAML file read so far ends (last line, column after its last character).
    private var ends: [String: (line: Int, column: Int)] = [:]

    public init() {}

    public func add(_ diagnostic: Diagnostic) {
        var diagnostic = diagnostic
        if let end = ends[diagnostic.file], diagnostic.line > end.line {
            (diagnostic.line, diagnostic.column) = end
        }
        diagnostics.append(diagnostic)
    }

    public func append(contentsOf other: [Diagnostic]) {
        other.forEach(add)
    }

    /// Remembers where `file` ends. libyaml puts the end of a stream that lacks a final line break on a line after
    /// the last one, so syntax errors and empty values there named a line the file does not have (found by
    /// fuzzing); `add` moves such positions to the end of the last line.
    func noteEnd(of file: String, line: Int, column: Int) {
        ends[file] = (line, column)
    }

    public var isEmpty: Bool { diagnostics.isEmpty }

    /// Throws every collected diagnostic, sorted by position, when there is any.
    public func throwIfAny() throws {
        guard !diagnostics.isEmpty else { return }
        throw DiagnosticError(diagnostics.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) })
    }
}
