import Foundation

/// A secret value from configuration (password, passphrase, token, community).
///
/// It never prints itself: `description` and string interpolation show `<redacted>`. Every resolved secret is
/// registered with the process-wide `SecretRedactor`, which scrubs it from every log line.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The clear value, for the one call that needs it (an authentication request).
    public let value: String

    public init(_ value: String) {
        self.value = value
        SecretRedactor.shared.register(value)
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}

/// How a secret is written in configuration: a literal, `env:NAME`, or `file:/path`.
public enum SecretReference: Sendable, Equatable {
    case literal(String)
    case environment(String)
    case file(String)

    /// Parses the written form; anything without a known prefix is a literal.
    public init(parsing text: String) {
        if text.hasPrefix("env:") {
            self = .environment(String(text.dropFirst(4)))
        } else if text.hasPrefix("file:") {
            self = .file(String(text.dropFirst(5)))
        } else {
            self = .literal(text)
        }
    }

    /// Why a reference could not be resolved. Never contains the secret itself.
    public struct ResolutionError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The secret's value. A file's trailing newline is dropped, as `echo pw > file` writes one.
    public func resolve(environment: [String: String]? = nil) throws -> Secret {
        let environment = environment ?? ProcessInfo.processInfo.environment
        switch self {
        case .literal(let value):
            return Secret(value)
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw ResolutionError(description: "environment variable \(name) is not set")
            }
            return Secret(value)
        case .file(let path):
            do {
                var text = try String(contentsOfFile: path, encoding: .utf8)
                while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
                guard !text.isEmpty else { throw ResolutionError(description: "secret file \(path) is empty") }
                return Secret(text)
            } catch let error as ResolutionError {
                throw error
            } catch {
                throw ResolutionError(description: "cannot read secret file \(path): \(readableReason(error))")
            }
        }
    }
}
