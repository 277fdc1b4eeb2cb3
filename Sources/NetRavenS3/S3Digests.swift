import Crypto
import Foundation

/// The digests of a body as S3 reports them back, to check an upload against: SHA-256 (hex, for metadata; base64,
/// S3's checksum) and the ETag S3 computes (the MD5 for one part, the MD5 of the parts' MD5s + `-N` for multipart).
struct S3Digests: Sendable, Equatable {
    /// Hex SHA-256 of the whole body (the `sha256` metadata).
    var sha256Hex: String
    /// The `x-amz-checksum-sha256` S3 returns: the body's SHA-256, or for N parts the SHA-256 of the parts'
    /// SHA-256 digests followed by `-N`.
    var checksumSHA256: String
    /// The ETag without SSE-KMS: MD5 of the body, or of the parts' MD5s followed by `-N`.
    var etag: String

    /// Digests of `body` uploaded in one request, or in parts of `partSize` when `partSize` is given.
    init(body: [UInt8], partSize: Int?) {
        let whole = SHA256.hash(data: body)
        sha256Hex = S3Client.hex(whole)
        guard let partSize else {
            checksumSHA256 = Data(whole).base64EncodedString()
            etag = S3Client.hex(Insecure.MD5.hash(data: body))
            return
        }
        var shaConcatenation: [UInt8] = []
        var md5Concatenation: [UInt8] = []
        let ranges = Self.partRanges(count: body.count, partSize: partSize)
        for range in ranges {
            shaConcatenation += Array(SHA256.hash(data: body[range]))
            md5Concatenation += Array(Insecure.MD5.hash(data: body[range]))
        }
        checksumSHA256 = Data(SHA256.hash(data: shaConcatenation)).base64EncodedString() + "-\(ranges.count)"
        etag = S3Client.hex(Insecure.MD5.hash(data: md5Concatenation)) + "-\(ranges.count)"
    }

    /// The byte ranges of each part (at least one, even for an empty body).
    static func partRanges(count: Int, partSize: Int) -> [Range<Int>] {
        guard count > 0 else { return [0..<0] }
        return stride(from: 0, to: count, by: max(1, partSize)).map { $0..<min(count, $0 + partSize) }
    }
}
