import Foundation
import NetRavenBundle
import NetRavenTestSupport
import Testing

/// gzip through zlib: round trips, the real gzip(1) as a peer, and damaged input.
@Suite struct GzipTests {
    @Test(arguments: [0, 1, 511, 65_536, 300_001])
    func roundTripsAnySize(size: Int) throws {
        let original = pseudoRandomBytes(size, seed: UInt64(size) + 7)
        let compressed = try ourGzip(original, chunk: 4_099)
        for chunk in [1, 13, 65_536] where chunk > 1 || compressed.count < 5_000 {
            let reader = try GzipReader(source: chunkedSource(compressed, chunk: chunk))
            #expect(try reader.readAll() == original, "chunk \(chunk)")
        }
    }

    @Test func gzipToolAcceptsOursAndWeReadItsOutput() throws {
        let directory = try TemporaryDirectory()
        let text = Data(String(repeating: "interface GigabitEthernet0/1\n description uplink\n", count: 2_000).utf8)
        let ours = directory.path + "/ours.gz"
        try ourGzip(text).write(to: URL(fileURLWithPath: ours))
        try tool("gzip", ["-t", ours])
        #expect(try tool("gzip", ["-dc", ours]).stdout == String(decoding: text, as: UTF8.self))

        let theirs = directory.path + "/theirs.txt"
        try text.write(to: URL(fileURLWithPath: theirs))
        try tool("gzip", ["-9", theirs])
        #expect(try GzipReader(contentsOf: theirs + ".gz").readAll() == text)
    }

    @Test func concatenatedMembersReadAsOneStream() throws {
        let first = Data("hostname r1\n".utf8)
        let second = Data("hostname r2\n".utf8)
        let reader = try GzipReader(source: chunkedSource(try ourGzip(first) + ourGzip(second), chunk: 5))
        #expect(try reader.readAll() == first + second)
    }

    /// 48 MiB through the writer into a file and back through the reader, chunk by chunk: neither side ever holds
    /// the whole stream, and gzip(1) agrees on the bytes.
    @Test func bigStreamsStayStreaming() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/big.gz"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let writer = try GzipWriter(level: 1) { try handle.write(contentsOf: $0) }
        let block = pseudoRandomBytes(1 << 20, seed: 42)
        for index in 0..<48 {
            var piece = block
            piece[0] = UInt8(index)
            try writer.write(piece)
        }
        try writer.finish()
        try handle.close()

        let reader = try GzipReader(contentsOf: path)
        var total = 0
        var largestChunk = 0
        while let chunk = try reader.read() {
            total += chunk.count
            largestChunk = max(largestChunk, chunk.count)
        }
        #expect(total == 48 << 20)
        #expect(largestChunk <= 64 * 1024)
        try tool("gzip", ["-t", path])
    }

    @Test func truncatedInputIsAClearError() throws {
        let compressed = try ourGzip(pseudoRandomBytes(100_000, seed: 3))
        for cut in [compressed.count - 1, compressed.count - 8, compressed.count / 2, 10] {
            let reader = try GzipReader(source: chunkedSource(compressed.prefix(cut), chunk: 4_096))
            let error = #expect(throws: BundleError.self) { try reader.readAll() }
            #expect(error?.code == .truncated, "cut at \(cut): \(String(describing: error))")
            #expect(error?.message.contains("truncated") == true || error?.message.contains("ends early") == true)
        }
        let empty = try GzipReader(source: chunkedSource(Data(), chunk: 1))
        #expect(throws: BundleError.self) { try empty.readAll() }
    }

    @Test func corruptInputIsAClearError() throws {
        let original = Data(String(repeating: "snmp-server community s3cr3t RO\n", count: 500).utf8)
        let compressed = try ourGzip(original)
        var flippedData = compressed
        flippedData[compressed.count / 2] ^= 0x55
        var badCRC = compressed
        badCRC[compressed.count - 6] ^= 0x01  // inside the CRC-32 of the trailer
        let notGzip = Data("this is not gzip at all, just text\n".utf8)
        for (name, input) in [("flipped", flippedData), ("crc", badCRC), ("not gzip", notGzip)] {
            let reader = try GzipReader(source: chunkedSource(input, chunk: 1_000))
            let error = #expect(throws: BundleError.self) { try reader.readAll() }
            #expect(error?.code == .corruptCompression, "\(name): \(String(describing: error))")
            #expect(error?.message.contains("compressed byte") == true, "\(name): \(String(describing: error))")
        }
    }
}
