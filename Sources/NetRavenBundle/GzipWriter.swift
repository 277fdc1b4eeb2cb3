internal import CZlib
public import Foundation

/// Compresses a byte stream into one gzip member (RFC 1952) with zlib's deflate, handing compressed chunks to a
/// sink as they fill, so a bundle of any size needs only a 64 KiB buffer.
///
/// The gzip header carries no file name and mtime 0, so equal input gives equal output. Not thread-safe: one
/// writer belongs to one thread (zlib streams are not shared); zlib's calls do CPU work, so callers run it on a
/// dedicated thread, not the cooperative pool.
public final class GzipWriter {
    private let stream: UnsafeMutablePointer<z_stream>
    private let buffer: UnsafeMutablePointer<UInt8>
    private let bufferSize = 64 * 1024
    private let sink: (Data) throws -> Void
    private var finished = false

    /// Starts a gzip stream at `level` (1 fastest … 9 smallest) whose output goes to `sink`.
    public init(level: Int = 6, sink: @escaping (Data) throws -> Void) throws {
        guard (1...9).contains(level) else {
            throw BundleError(.compressionFailed, "gzip level must be 1...9, not \(level)")
        }
        self.sink = sink
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        buffer = .allocate(capacity: bufferSize)
        // windowBits 15 + 16 asks zlib for a gzip wrapper (header, CRC-32, length) instead of a zlib one.
        let result = deflateInit2_(
            stream, Int32(level), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        guard result == Z_OK else {
            stream.deallocate()
            buffer.deallocate()
            throw BundleError(.compressionFailed, "zlib could not start a gzip stream (code \(result))")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
        buffer.deallocate()
    }

    /// Compresses `data`; compressed bytes reach the sink whenever the buffer fills.
    public func write(_ data: Data) throws {
        guard !finished else { throw BundleError(.compressionFailed, "write after the gzip stream was finished") }
        guard !data.isEmpty else { return }
        try data.withUnsafeBytes { raw in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: raw.bindMemory(to: UInt8.self).baseAddress)
            stream.pointee.avail_in = uInt(raw.count)
            defer {
                stream.pointee.next_in = nil
                stream.pointee.avail_in = 0
            }
            while stream.pointee.avail_in > 0 {
                try deflateStep(flush: Z_NO_FLUSH)
            }
        }
    }

    /// Flushes what deflate holds back and writes the gzip trailer (CRC-32 and length); the stream is then done.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        while try deflateStep(flush: Z_FINISH) != Z_STREAM_END {}
    }

    /// One deflate call into the empty buffer; whatever it produced goes to the sink.
    @discardableResult
    private func deflateStep(flush: Int32) throws -> Int32 {
        stream.pointee.next_out = buffer
        stream.pointee.avail_out = uInt(bufferSize)
        let result = deflate(stream, flush)
        guard result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR else {
            throw BundleError(.compressionFailed, "deflate failed (code \(result))")
        }
        let produced = bufferSize - Int(stream.pointee.avail_out)
        if produced > 0 { try sink(Data(bytes: buffer, count: produced)) }
        return result
    }
}
