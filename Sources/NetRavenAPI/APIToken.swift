import Crypto
import Foundation
public import NetRavenCore

/// API tokens: generating them, hashing them for the configuration, and checking a presented one.
///
/// Only the SHA-256 of a token is configured; a presented token is hashed and compared with every configured
/// hash in constant time, so neither the comparison nor the number of configured tokens leaks how close a guess was.
public enum APIToken {
    /// A new random token: `nrv_` and 43 characters of base64url (32 random bytes from the system's CSPRNG).
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "nrv_" + base64URL(bytes)
    }

    /// The SHA-256 of a token as 64 lowercase hex digits: what goes into `api.tokens[].sha256`.
    public static func hashHex(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The configured token matching `presented`, or nil. Every configured hash is compared, in constant time.
    public static func match(_ presented: String, in tokens: [APISettings.Token]) -> APISettings.Token? {
        let digest = Array(SHA256.hash(data: Data(presented.utf8)))
        var found: APISettings.Token?
        for token in tokens where constantTimeEqual(digest, token.sha256) && found == nil {
            found = token
        }
        return found
    }

    /// Compares every byte whatever the first difference, so the time taken does not tell where it is.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
