import ArgumentParser
import Foundation
import NetRavenCore

extension NetRavenCommand {
    /// `netraven rules test`: raw syslog lines on stdin, one JSON verdict per line on stdout.
    struct RulesTest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract:
                "Classify raw syslog lines read on stdin with the syslog change rules; print one JSON object per line.",
            discussion: """
                Each input line is one message exactly as sent on the wire, starting with <PRI>. Each output line is
                {"change", "kind", "platform", "host", "user", "source", "commit", "rule"}; a line that is not a syslog
                message gives {"change": false, "error": ...}. Rules come from --rules-dir, else the installed rules.
                Example (printf needs %% for %): printf '<189>12: %%SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.0.0.5)\\n' \
                | netraven rules test
                """
        )

        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "Apply only this platform's rules, as for a device of that platform.")
        var platform: String?

        func run() async throws {
            let book = try loadBook()
            if let platform, !book.platforms.contains(platform) {
                Output.error(
                    "unknown platform '\(platform)' (platforms with syslog rules: "
                        + "\(book.platforms.sorted().joined(separator: ", ")))")
                throw ExitCode(ExitStatus.usage)
            }
            let classifier = SyslogLineClassifier(book: book, platform: platform)
            // Reading stdin blocks: it runs on its own thread, never on the cooperative pool.
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let thread = Thread {
                    classifier.run(input: FileHandle.standardInput)
                    continuation.resume()
                }
                thread.start()
            }
        }

        /// The syslog rules of `--rules-dir`, else of the first installed rules directory that has them.
        func loadBook() throws -> SyslogRuleBook {
            let candidates = ConfigurationLoader.installedRulesDirectories()
            let directory =
                global.rulesDir ?? candidates.first { FileManager.default.fileExists(atPath: $0 + "/syslog") }
            guard let directory else {
                Output.error(
                    "no rules directory with syslog/ found (tried \(candidates.joined(separator: ", "))); "
                        + "use --rules-dir")
                throw ExitCode(ExitStatus.usage)
            }
            do {
                let book = try SyslogRuleBook.load(directory: directory)
                if book.rules.isEmpty {
                    Output.error("\(directory)/syslog holds no rules")
                    throw ExitCode(ExitStatus.usage)
                }
                return book
            } catch let error as DiagnosticError {
                Output.error(error.description)
                Output.error(
                    "\(error.diagnostics.count) problem\(error.diagnostics.count == 1 ? "" : "s") in the rules")
                throw ExitCode(ExitStatus.usage)
            }
        }
    }
}

/// Splits input into lines, classifies each, and prints one JSON object per line, as soon as the line is complete.
struct SyslogLineClassifier: Sendable {
    let book: SyslogRuleBook
    let platform: String?

    /// Reads `input` to its end. A line longer than a message may be is reported once and skipped, not buffered.
    func run(input: FileHandle) {
        var line: [UInt8] = []
        var overlong = false
        while true {
            let chunk = input.availableData
            if chunk.isEmpty { break }
            for byte in chunk {
                if byte == 0x0A {
                    if overlong {
                        Output.line(Self.errorJSON(.oversized, "line longer than the parser's limit"))
                    } else {
                        Output.line(json(for: line))
                    }
                    line.removeAll(keepingCapacity: true)
                    overlong = false
                } else if !overlong {
                    line.append(byte)
                    if line.count > SyslogMessage.maximumLength + 1 {
                        overlong = true
                        line.removeAll()
                    }
                }
            }
        }
        if overlong {
            Output.line(Self.errorJSON(.oversized, "line longer than the parser's limit"))
        } else if !line.isEmpty {
            Output.line(json(for: line))
        }
    }

    /// The verdict for one line (a trailing CR is framing, like the LF).
    func json(for line: [UInt8]) -> String {
        var bytes = line[...]
        if bytes.last == 0x0D { bytes = bytes.dropLast() }
        let message: SyslogMessage
        do {
            message = try SyslogMessage.parse(bytes)
        } catch {
            return Self.errorJSON(error.code, error.message)
        }
        let result = book.classify(message, platform: platform)
        let fields: [(String, String?)] = [
            ("kind", result.kind?.rawValue), ("platform", result.platform), ("host", result.host),
            ("user", result.user), ("source", result.source), ("commit", result.commit), ("rule", result.rule),
        ]
        let body = fields.map { "\"\($0.0)\":\($0.1.map(jsonString) ?? "null")" }.joined(separator: ",")
        return "{\"change\":\(result.change),\(body)}"
    }

    static func errorJSON(_ code: SyslogParseError.Code, _ message: String) -> String {
        "{\"change\":false,\"kind\":null,\"platform\":null,\"host\":null,\"user\":null,\"source\":null,\"commit\":null,"
            + "\"rule\":null,\"error\":\(jsonString(code.description)),\"reason\":\(jsonString(message))}"
    }
}
