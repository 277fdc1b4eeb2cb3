internal import CZlib
public import Foundation

/// Decompresses a gzip stream pulled from a source in chunks, checking each member's CRC-32 and length.
///
/// Concatenated gzip members (what `cat a.gz b.gz` gives) are read as one stream, as gzip(1) does. Damaged input
/// throws `.corruptCompression` and input that ends early throws `.truncated`; both say at which compressed byte.
/// Not thread-safe: one reader belongs to one thread, and zlib does CPU work, so run it on a dedicated thread.
public final class GzipReader {
    private let stream: UnsafeMutablePointer<z_stream>
    private let source: () throws -> Data?
    private var input = Data()
    private var inputOffset = 0
    /// Compressed bytes consumed before `input`, for error positions.
    private var consumedBefore = 0
    private var sourceDone = false
    private var memberDone = false
    private var sawAnyInput = false
    private var finished = false
    private let chunkSize = 64 * 1024

    /// Reads gzip data from `source`, which returns the next chunk of compressed bytes, or nil at the end.
    public init(source: @escaping () throws -> Data?) throws {
        self.source = source
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits 15 + 16: accept only a gzip wrapper, whose CRC-32 and length zlib checks at the member's end.
        let result = inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard result == Z_OK else {
            stream.deallocate()
            throw BundleError(.compressionFailed, "zlib could not start a gzip reader (code \(result))")
        }
    }

    /// Reads the gzip file at `path` in 64 KiB chunks.
    public convenience init(contentsOf path: String) throws {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        } catch {
            throw BundleError(.io, "cannot open \(path)", underlying: error)
        }
        try self.init { () throws -> Data? in
            do {
                let data = try handle.read(upToCount: 64 * 1024)
                return data?.isEmpty == false ? data : nil
            } catch {
                throw BundleError(.io, "cannot read \(path)", underlying: error)
            }
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// The next chunk of decompressed bytes (at most 64 KiB), or nil when the whole stream was read and checked.
    public func read() throws -> Data? {
        while !finished {
            if inputOffset == input.count {
                try refill()
                if inputOffset == input.count {
                    try finishAtEndOfInput()
                    return nil
                }
            }
            if memberDone {
                // More bytes after a complete member: the next member of a concatenated stream.
                guard inflateReset(stream) == Z_OK else {
                    throw BundleError(.compressionFailed, "zlib could not reset the gzip reader")
                }
                memberDone = false
            }
            let output = try inflateStep()
            if !output.isEmpty { return output }
        }
        return nil
    }

    /// Reads everything that is left (for small streams and tests).
    public func readAll() throws -> Data {
        var result = Data()
        while let chunk = try read() { result.append(chunk) }
        return result
    }

    private func refill() throws {
        guard !sourceDone else { return }
        consumedBefore += input.count
        input = Data()
        inputOffset = 0
        while input.isEmpty {
            guard let chunk = try source() else {
                sourceDone = true
                return
            }
            input = chunk
        }
        sawAnyInput = true
    }

    private func finishAtEndOfInput() throws {
        finished = true
        guard sawAnyInput else { throw BundleError(.truncated, "the gzip stream is empty") }
        guard memberDone else {
            throw BundleError(
                .truncated,
                "the gzip stream ends early after \(consumedBefore + inputOffset) compressed bytes "
                    + "(the file is truncated)")
        }
    }

    private func inflateStep() throws -> Data {
        var output = Data(count: chunkSize)
        let available = input.count - inputOffset
        let (result, consumed, produced) = input.withUnsafeBytes { inputRaw in
            output.withUnsafeMutableBytes { outputRaw in
                let inputBase = inputRaw.bindMemory(to: UInt8.self).baseAddress! + inputOffset
                stream.pointee.next_in = UnsafeMutablePointer(mutating: inputBase)
                stream.pointee.avail_in = uInt(available)
                stream.pointee.next_out = outputRaw.bindMemory(to: UInt8.self).baseAddress
                stream.pointee.avail_out = uInt(chunkSize)
                let result = inflate(stream, Z_NO_FLUSH)
                let consumed = available - Int(stream.pointee.avail_in)
                let produced = chunkSize - Int(stream.pointee.avail_out)
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
                stream.pointee.avail_in = 0
                return (result, consumed, produced)
            }
        }
        let position = consumedBefore + inputOffset
        inputOffset += consumed
        switch result {
        case Z_OK, Z_BUF_ERROR:
            break
        case Z_STREAM_END:
            memberDone = true
        case Z_DATA_ERROR:
            let detail = stream.pointee.msg.map { String(cString: $0) } ?? "invalid deflate data"
            throw BundleError(
                .corruptCompression, "the gzip stream is damaged near compressed byte \(position): \(detail)")
        case Z_MEM_ERROR:
            throw BundleError(.compressionFailed, "zlib ran out of memory while decompressing")
        default:
            throw BundleError(.corruptCompression, "inflate failed near compressed byte \(position) (code \(result))")
        }
        output.count = produced
        return output
    }
}
