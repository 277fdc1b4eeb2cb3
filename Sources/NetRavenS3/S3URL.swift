import Foundation
import NetRavenCore

/// Builds request URLs the way SigV4 canonicalizes them: keys percent-encoded per segment, the query sorted.
struct S3URL {
    let settings: S3Settings

    /// The URL of `key` (nil = the bucket) with `query`, path-style or virtual-hosted as configured.
    func url(key: String?, query: [(String, String)]) -> String {
        let endpoint = settings.effectiveEndpoint
        var base: String
        if settings.pathStyle {
            base = endpoint + "/" + settings.bucket
        } else if let schemeEnd = endpoint.range(of: "://") {
            base = endpoint[..<schemeEnd.upperBound] + settings.bucket + "." + endpoint[schemeEnd.upperBound...]
        } else {
            base = endpoint + "/" + settings.bucket
        }
        if let key {
            base +=
                "/"
                + key.split(separator: "/", omittingEmptySubsequences: false)
                .map { Self.encode(String($0)) }.joined(separator: "/")
        } else if !settings.pathStyle {
            base += "/"
        }
        guard !query.isEmpty else { return base }
        return base + "?" + Self.canonicalQuery(query)
    }

    /// `name=value` pairs encoded and sorted by name, then value. Valueless parameters are written `name=`:
    /// curl 7.88 signs the query as written, and S3 canonicalizes `uploads` as `uploads=`.
    static func canonicalQuery(_ query: [(String, String)]) -> String {
        let encoded: [(name: String, value: String)] = query.map { (encode($0.0), encode($0.1)) }
        let sorted = encoded.sorted { left, right in
            left.name == right.name ? left.value < right.value : left.name < right.name
        }
        return sorted.map { $0.name + "=" + $0.value }.joined(separator: "&")
    }

    /// SigV4's URI encoding: everything but `A-Z a-z 0-9 - . _ ~` as `%XX` (upper-case hex).
    static func encode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                result.append(Character(Unicode.Scalar(byte)))
            default:
                result += percentEscape(byte)
            }
        }
        return result
    }

    /// `%XX` with upper-case hex.
    static func percentEscape(_ byte: UInt8) -> String {
        "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
    }
}
