import Foundation

/// Lines of UTF-8 text as byte ranges, found with memchr: no String or array of slices per line.
///
/// A 20 MB configuration has 600,000 lines; making a String of each (and an array of Substring-like slices first)
/// cost more than everything the normalizer and the diff do with them (benchmark P7, docs/benchmarks.md).
enum ByteLines {
    /// The ranges of the lines of `bytes` split at every LF, the LF left out. Like
    /// `split(separator: "\n", omittingEmptySubsequences: false)`: text ending in LF has an empty last line, and empty
    /// text is one empty line.
    static func ranges(in bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        // Configuration lines average 30-40 bytes.
        result.reserveCapacity(bytes.count / 32 + 1)
        forEachLine(in: bytes) { result.append($0) }
        return result
    }

    /// Calls `body` with the range of each line, in order, as `ranges(in:)` would list them.
    @inline(__always)
    static func forEachLine(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            body(0..<0)
            return
        }
        var start = 0
        while start < bytes.count {
            guard let hit = memchr(base + start, 0x0A, bytes.count - start) else { break }
            let end = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
            body(start..<end)
            start = end + 1
        }
        body(start..<bytes.count)
    }

    /// Whether `needle` occurs in `haystack` (true for an empty needle).
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard let base = haystack.baseAddress, haystack.count >= needle.count else { return false }
        return needle.withUnsafeBufferPointer { needle in
            // memchr for the first byte, then memcmp (glibc's memmem needs _GNU_SOURCE, not visible here).
            let end = base + (haystack.count - needle.count)
            var cursor = base
            while cursor <= end {
                guard let hit = memchr(cursor, Int32(first), end - cursor + 1) else { return false }
                let candidate = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(candidate, needle.baseAddress!, needle.count) == 0 { return true }
                cursor = candidate + 1
            }
            return false
        }
    }

    /// Whether `line` starts with `prefix`.
    static func starts(_ line: UnsafeBufferPointer<UInt8>, with prefix: [UInt8]) -> Bool {
        guard !prefix.isEmpty else { return true }
        guard line.count >= prefix.count, let base = line.baseAddress else { return false }
        return prefix.withUnsafeBufferPointer { memcmp(base, $0.baseAddress!, prefix.count) == 0 }
    }
}
