public import Foundation

/// One member read from a tar archive.
public struct TarMember: Sendable, Equatable {
    /// Path, kind, size, mtime and mode (pax `path`/`size` and GNU long names already applied).
    public var header: TarHeader
    /// The file's bytes (empty for directories).
    public var contents: Data
}

/// Reads a ustar / pax / GNU tar archive pulled from a source in chunks, one member at a time.
///
/// Only regular files and directories are accepted; anything else (links, devices, fifos) throws
/// `.unsupportedMember`, a member over `maximumMemberSize` throws `.memberTooLarge` before it is read, unsafe
/// paths (absolute, `..`) throw `.invalidPath`, and input that ends early throws `.truncated`. A leading `./` is
/// dropped and the `.` entry itself skipped, so `tar -C dir -czf x.tgz .` reads like `tar -czf x.tgz` inside dir.
public final class TarReader {
    /// Default cap on one member's size: 256 MiB, far above any device configuration.
    public static let defaultMaximumMemberSize = 256 * 1024 * 1024

    private let source: () throws -> Data?
    private let maximumMemberSize: Int
    /// Bytes from `start` on are not consumed yet.
    private var buffer = Data()
    private var start = 0
    private var sourceDone = false
    private var ended = false
    /// Uncompressed bytes consumed so far, for error positions.
    private var offset = 0

    /// Reads tar bytes from `source` (next chunk, or nil at the end).
    public init(maximumMemberSize: Int = TarReader.defaultMaximumMemberSize, source: @escaping () throws -> Data?) {
        self.maximumMemberSize = maximumMemberSize
        self.source = source
    }

    /// Reads the `.tar.gz` file at `path`, decompressing on the fly.
    public convenience init(gzipFileAt path: String, maximumMemberSize: Int = TarReader.defaultMaximumMemberSize)
        throws
    {
        let gzip = try GzipReader(contentsOf: path)
        self.init(maximumMemberSize: maximumMemberSize) { try gzip.read() }
    }

    /// The next member, or nil after the end-of-archive blocks.
    public func next() throws -> TarMember? {
        var pax: [String: String] = [:]
        var longName: String?
        while !ended {
            let headerOffset = offset
            guard let block = try readBlockOrEnd() else {
                throw BundleError(.truncated, "the tar archive ends after \(offset) bytes without its end marker")
            }
            if block.allSatisfy({ $0 == 0 }) {
                ended = true
                return nil
            }
            try verifyChecksum(block, at: headerOffset)
            let typeflag = block[TarBlock.Field.typeflag]
            let size = try Self.number(block, TarBlock.Field.size, at: headerOffset)
            switch typeflag {
            case UInt8(ascii: "x"):
                pax = try parsePax(try readContents(size: size, name: "pax header", at: headerOffset), at: headerOffset)
                continue
            case UInt8(ascii: "g"):
                _ = try readContents(size: size, name: "pax global header", at: headerOffset)  // archive-wide, unused
                continue
            case UInt8(ascii: "L"):
                let bytes = try readContents(size: size, name: "GNU long name", at: headerOffset)
                longName = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
                continue
            default:
                break
            }
            let kind: TarMemberKind
            switch typeflag {
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): kind = .file
            case UInt8(ascii: "5"): kind = .directory
            default:
                throw BundleError(
                    .unsupportedMember,
                    "tar member '\(Self.rawPath(block))' at byte \(headerOffset) has type "
                        + "'\(Character(Unicode.Scalar(typeflag)))'; bundles hold only regular files and directories")
            }
            let rawPath = pax["path"] ?? longName ?? Self.rawPath(block)
            let memberSize = try pax["size"].map { text -> Int in
                guard let value = Int(text), value >= 0 else {
                    throw BundleError(.corruptArchive, "bad pax size '\(text)' at byte \(headerOffset)")
                }
                return value
            } ?? size
            let modificationTime = try Self.number(block, TarBlock.Field.mtime, at: headerOffset)
            let mode = try Self.number(block, TarBlock.Field.mode, at: headerOffset)
            pax = [:]
            longName = nil
            var path = rawPath
            while path.hasPrefix("./") { path.removeFirst(2) }
            while path.hasSuffix("/") { path.removeLast() }
            let contents = kind == .file
                ? try readContents(size: memberSize, name: path, at: headerOffset)
                : try readContents(size: size, name: path, at: headerOffset)
            if path.isEmpty || path == "." { continue }
            try TarPath.check(path)
            return TarMember(
                header: TarHeader(
                    path: path, kind: kind, size: memberSize, modificationTime: modificationTime, mode: mode & 0o7777),
                contents: kind == .file ? contents : Data())
        }
        return nil
    }

    /// Every remaining member (for small archives and tests).
    public func readAll() throws -> [TarMember] {
        var members: [TarMember] = []
        while let member = try next() { members.append(member) }
        return members
    }

    // MARK: - Bytes

    private var available: Int { buffer.count - start }

    private func fill(_ count: Int) throws -> Bool {
        while available < count {
            guard !sourceDone, let chunk = try source() else {
                sourceDone = true
                return false
            }
            // Drop consumed bytes only when more are needed, so taking a block never copies the whole buffer.
            if start > 0 {
                buffer.removeSubrange(0..<start)
                start = 0
            }
            buffer.append(chunk)
        }
        return true
    }

    private func take(_ count: Int) -> Data {
        let taken = buffer.subdata(in: start..<(start + count))
        start += count
        offset += count
        return taken
    }

    /// A whole 512-byte block, or nil at a clean end of input; a partial block is truncation.
    private func readBlockOrEnd() throws -> [UInt8]? {
        if try !fill(TarBlock.size) {
            if available == 0 { return nil }
            throw BundleError(.truncated, "the tar archive ends inside a header at byte \(offset)")
        }
        return Array(take(TarBlock.size))
    }

    private func readContents(size: Int, name: String, at headerOffset: Int) throws -> Data {
        guard size <= maximumMemberSize else {
            throw BundleError(
                .memberTooLarge,
                "tar member '\(name)' at byte \(headerOffset) is \(size) bytes, over the \(maximumMemberSize)-byte cap")
        }
        let padded = size + TarBlock.padding(after: size)
        guard try fill(padded) else {
            throw BundleError(
                .truncated, "the tar archive ends inside member '\(name)' (\(size) bytes from byte \(headerOffset))")
        }
        return take(padded).prefix(size)
    }

    // MARK: - Header fields

    private func verifyChecksum(_ block: [UInt8], at headerOffset: Int) throws {
        let stored = try Self.number(block, TarBlock.Field.checksum, at: headerOffset)
        guard stored == TarBlock.checksum(block) || stored == TarBlock.signedChecksum(block) else {
            throw BundleError(
                .corruptArchive,
                "the tar header at byte \(headerOffset) has a bad checksum (not a tar file, or damaged)")
        }
    }

    private static func rawPath(_ block: [UInt8]) -> String {
        let name = cString(block, TarBlock.Field.name)
        let isUstar = block[TarBlock.Field.magic].starts(with: Array("ustar".utf8))
        let prefix = isUstar ? cString(block, TarBlock.Field.prefix) : ""
        return prefix.isEmpty ? name : prefix + "/" + name
    }

    private static func cString(_ block: [UInt8], _ range: Range<Int>) -> String {
        String(decoding: block[range].prefix { $0 != 0 }, as: UTF8.self)
    }

    /// An octal field (space/NUL terminated), or GNU's base-256 form (high bit set) for big values.
    private static func number(_ block: [UInt8], _ range: Range<Int>, at headerOffset: Int) throws -> Int {
        let bytes = block[range]
        if let first = bytes.first, first & 0x80 != 0 {
            var value = 0
            for byte in bytes.dropFirst() {
                guard value <= (Int.max >> 8) else { break }
                value = value << 8 | Int(byte)
            }
            return value
        }
        let text = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return 0 }
        guard let value = Int(text, radix: 8), value >= 0 else {
            throw BundleError(.corruptArchive, "the tar header at byte \(headerOffset) has a bad number '\(text)'")
        }
        return value
    }

    private func parsePax(_ data: Data, at headerOffset: Int) throws -> [String: String] {
        var records: [String: String] = [:]
        var rest = [UInt8](data)[...]
        while !rest.isEmpty {
            guard let space = rest.firstIndex(of: UInt8(ascii: " ")),
                let length = Int(String(decoding: rest[..<space], as: UTF8.self)), length > 0,
                length <= rest.count
            else {
                throw BundleError(.corruptArchive, "bad pax record in the header at byte \(headerOffset)")
            }
            let record = rest.prefix(length)
            rest = rest.dropFirst(length)
            let body = record[record.index(after: space)...].dropLast()  // without the trailing newline
            guard let equals = body.firstIndex(of: UInt8(ascii: "=")) else {
                throw BundleError(.corruptArchive, "pax record without '=' in the header at byte \(headerOffset)")
            }
            records[String(decoding: body[..<equals], as: UTF8.self)] =
                String(decoding: body[body.index(after: equals)...], as: UTF8.self)
        }
        return records
    }
}
