import Foundation
import NetRavenCore

/// YAML text loaded as one of NetRaven's files, next to valid companions, through the public loaders.
///
/// Input: byte 0 picks the file (`Kind`), the rest is its content, written to disk as is (so invalid UTF-8 is
/// reached too). Invariants: loading succeeds or throws `DiagnosticError` — never another error, never an empty
/// list; every diagnostic has a message, names a file, and when it names the fuzzed file its line lies inside it.
/// Hangs and unbounded growth are libFuzzer's `-timeout` and `-rss_limit_mb`.
enum ConfigurationFuzzTarget {
    /// Which file the input becomes.
    enum Kind: Int, CaseIterable {
        case configuration, inventory, credentials, platform, syslogRules, trapRules
    }

    static func run(_ input: [UInt8]) -> [String] {
        guard let selector = input.first else { return [] }
        let kind = Kind.allCases[Int(selector) % Kind.allCases.count]
        let content = Array(input.dropFirst())
        let workspace = ConfigurationWorkspace.shared
        let file = workspace.fuzzedFile(kind)
        guard workspace.overwrite(file, with: content) else {
            return ["cannot write \(file)"]
        }
        var problems: [String] = []
        do {
            switch kind {
            case .configuration, .inventory, .credentials:
                let loader = ConfigurationLoader(
                    stateDirectoryOverride: workspace.stateDirectory, rulesDirectoryOverride: workspace.rulesDirectory,
                    environment: ["NETRAVEN_FUZZ_SECRET": "fuzz-secret"], defaultRulesDirectories: [])
                _ = try loader.load(path: workspace.configurationFile(kind))
            case .platform:
                _ = try RuleBook.load(directory: workspace.directory(kind))
            case .syslogRules:
                _ = try SyslogRuleBook.load(directory: workspace.directory(kind))
            case .trapRules:
                _ = try TrapRuleBook.load(directory: workspace.directory(kind))
            }
        } catch let error as DiagnosticError {
            problems += check(error.diagnostics, fuzzedFile: file, content: content)
        } catch {
            problems.append("load threw \(type(of: error)), not a DiagnosticError: \(error)")
        }
        return problems
    }

    static func check(_ diagnostics: [Diagnostic], fuzzedFile: String, content: [UInt8]) -> [String] {
        var problems: [String] = []
        if diagnostics.isEmpty { problems.append("DiagnosticError without diagnostics") }
        // Lines as YAML counts them (LF, CR, CRLF, NEL, LS, PS end a line), one more for a last unterminated one;
        // counted here independently of the loader's own clamping.
        var lineCount = 1
        var previous: Unicode.Scalar?
        for scalar in String(decoding: content, as: UTF8.self).unicodeScalars {
            if ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(scalar), !(scalar == "\n" && previous == "\r") {
                lineCount += 1
            }
            previous = scalar
        }
        for diagnostic in diagnostics {
            if diagnostic.message.isEmpty { problems.append("diagnostic without a message at \(diagnostic.file)") }
            if diagnostic.file.isEmpty { problems.append("diagnostic without a file: \(diagnostic.message)") }
            if diagnostic.line < 0 || diagnostic.column < 0 {
                problems.append("negative position: \(diagnostic)")
            }
            if diagnostic.file == fuzzedFile, diagnostic.line > lineCount {
                problems.append("line \(diagnostic.line) beyond the file's \(lineCount) lines: \(diagnostic)")
            }
        }
        return problems
    }
}
