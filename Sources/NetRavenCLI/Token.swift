import ArgumentParser
import Foundation
import NetRavenAPI
import NetRavenCore

extension NetRavenCommand {
    /// API tokens: make one, or hash one for the configuration.
    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make API tokens and hash them for the api.tokens section (docs/api.md).",
            subcommands: [New.self, Hash.self])

        /// Prints a new random token once, and the configuration entry holding only its hash.
        struct New: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print a new random token once, and the api.tokens entry to paste (it holds only the hash).")

            @Option(name: .long, help: "Who holds the token (shown in logs and on the web page).") var name: String
            @Option(
                name: .long, parsing: .upToNextOption,
                help: "Scopes: read, trigger (default: read).")
            var scopes: [String] = ["read"]

            func validate() throws {
                if name.isEmpty || name.contains(where: { $0.isNewline || $0 == "\"" }) {
                    throw ValidationError("--name must be a non-empty single line without quotes")
                }
                for scope in scopes where APISettings.Scope(rawValue: scope) == nil {
                    throw ValidationError("unknown scope '\(scope)': use read, trigger")
                }
            }

            func run() async throws {
                let token = APIToken.generate()
                Output.line("token (shown once; give it to \(name)): \(token)")
                Output.line("add under api.tokens in netraven.yaml:")
                Output.line(Token.entry(name: name, hash: APIToken.hashHex(token), scopes: scopes))
            }
        }

        /// Hashes a token read from standard input (so it stays out of the shell history).
        struct Hash: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Read a token on standard input and print its SHA-256 for api.tokens[].sha256.")

            func run() async throws {
                let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                let token = input.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !token.isEmpty else {
                    Output.error("netraven token hash: no token on standard input")
                    throw ExitCode(ExitStatus.usage)
                }
                Output.line(APIToken.hashHex(token))
            }
        }

        static func entry(name: String, hash: String, scopes: [String]) -> String {
            "    - {name: \"\(name)\", sha256: \(hash), scopes: [\(scopes.joined(separator: ", "))]}"
        }
    }
}
