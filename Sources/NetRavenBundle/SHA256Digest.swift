import Crypto
import Foundation

/// Lowercase hexadecimal SHA-256, the form manifests and `sha256sum` use.
enum SHA256Digest {
    static func hex(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
