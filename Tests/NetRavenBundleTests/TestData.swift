import Foundation
import NetRavenBundle

/// Deterministic pseudo-random bytes (xorshift), so failures reproduce.
func pseudoRandomBytes(_ count: Int, seed: UInt64) -> Data {
    var state = seed | 1
    var bytes = [UInt8](repeating: 0, count: count)
    for index in bytes.indices {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        bytes[index] = UInt8(truncatingIfNeeded: state)
    }
    return Data(bytes)
}

/// A source handing out `data` in pieces of `chunk` bytes, to exercise the readers' chunk boundaries.
func chunkedSource(_ data: Data, chunk: Int) -> () throws -> Data? {
    var offset = 0
    return {
        guard offset < data.count else { return nil }
        let end = min(offset + chunk, data.count)
        defer { offset = end }
        return data.subdata(in: offset..<end)
    }
}

/// gzip-compresses `data` with our writer, feeding it in `chunk`-byte writes.
func ourGzip(_ data: Data, chunk: Int = 7_000) throws -> Data {
    var output = Data()
    let writer = try GzipWriter { output.append($0) }
    var offset = 0
    while offset < data.count {
        let end = min(offset + chunk, data.count)
        try writer.write(data.subdata(in: offset..<end))
        offset = end
    }
    try writer.finish()
    return output
}
