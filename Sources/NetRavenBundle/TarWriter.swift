public import Foundation

/// Writes a POSIX ustar archive to a sink, member by member; contents can be streamed in pieces.
///
/// Paths longer than 100 bytes and sizes of 8 GiB or more get a pax extended header (`path=`, `size=`), which
/// GNU tar, bsdtar and Python's tarfile read. Owner is uid/gid 0 (`root`), so extracting as a user gives that
/// user's ownership. Not thread-safe: one writer belongs to one thread.
public final class TarWriter {
    private let sink: (Data) throws -> Void
    private var open: (header: TarHeader, remaining: Int)?
    private var finished = false

    /// Starts an archive whose bytes go to `sink` (for example a `GzipWriter`'s `write`).
    public init(sink: @escaping (Data) throws -> Void) {
        self.sink = sink
    }

    /// Appends a whole member: a directory (empty `contents`) or a file.
    public func append(_ header: TarHeader, contents: Data = Data()) throws {
        var header = header
        if header.kind == .file { header.size = contents.count }
        try begin(header)
        if !contents.isEmpty { try writeContents(contents) }
        try endMember()
    }

    /// Starts a member of `header.size` bytes; send them with `writeContents` and close with `endMember`.
    public func begin(_ header: TarHeader) throws {
        guard !finished, open == nil else {
            throw BundleError(.corruptArchive, "tar member \(header.path) started before the previous one ended")
        }
        try TarPath.check(header.path)
        guard header.size >= 0 else { throw BundleError(.corruptArchive, "negative size for \(header.path)") }
        let storedPath = header.kind == .directory ? header.path + "/" : header.path
        var records: [(String, String)] = []
        if storedPath.utf8.count > TarBlock.Field.name.count { records.append(("path", storedPath)) }
        if header.size > TarBlock.maximumOctalSize { records.append(("size", String(header.size))) }
        if !records.isEmpty {
            let body = Data(records.map { Self.paxRecord(key: $0.0, value: $0.1) }.joined().utf8)
            let paxName = "PaxHeaders/" + String(decoding: Array(storedPath.utf8.suffix(80)), as: UTF8.self)
            try sink(Self.block(
                name: paxName, typeflag: UInt8(ascii: "x"), size: body.count, mode: 0o644,
                modificationTime: header.modificationTime))
            try sink(body)
            try sink(Data(count: TarBlock.padding(after: body.count)))
        }
        let typeflag = header.kind == .directory ? UInt8(ascii: "5") : UInt8(ascii: "0")
        try sink(Self.block(
            name: storedPath, typeflag: typeflag, size: min(header.size, TarBlock.maximumOctalSize),
            mode: header.mode, modificationTime: header.modificationTime))
        open = (header, header.size)
    }

    /// Sends the next piece of the open member's contents.
    public func writeContents(_ data: Data) throws {
        guard let current = open else { throw BundleError(.corruptArchive, "tar contents written outside a member") }
        guard data.count <= current.remaining else {
            throw BundleError(
                .corruptArchive, "\(current.header.path): more contents than the \(current.header.size) bytes declared")
        }
        try sink(data)
        open = (current.header, current.remaining - data.count)
    }

    /// Ends the open member, padding it to a whole block; throws when fewer bytes than declared were written.
    public func endMember() throws {
        guard let current = open else { throw BundleError(.corruptArchive, "no tar member to end") }
        guard current.remaining == 0 else {
            throw BundleError(
                .corruptArchive, "\(current.header.path): \(current.remaining) of \(current.header.size) bytes missing")
        }
        try sink(Data(count: TarBlock.padding(after: current.header.size)))
        open = nil
    }

    /// Writes the two zero blocks that end an archive.
    public func finish() throws {
        guard !finished else { return }
        guard open == nil else { throw BundleError(.corruptArchive, "the archive ended inside a member") }
        finished = true
        try sink(Data(count: 2 * TarBlock.size))
    }

    /// `"<length> key=value\n"`, where length counts the whole record including its own digits.
    static func paxRecord(key: String, value: String) -> String {
        let rest = " \(key)=\(value)\n".utf8.count
        var length = rest + 1
        while String(length).count + rest != length { length = String(length).count + rest }
        return "\(length) \(key)=\(value)\n"
    }

    private static func block(name: String, typeflag: UInt8, size: Int, mode: Int, modificationTime: Int) -> Data {
        var block = [UInt8](repeating: 0, count: TarBlock.size)
        put(Array(name.utf8.prefix(TarBlock.Field.name.count)), at: TarBlock.Field.name, in: &block)
        putOctal(mode & 0o7777, at: TarBlock.Field.mode, in: &block)
        putOctal(0, at: TarBlock.Field.uid, in: &block)
        putOctal(0, at: TarBlock.Field.gid, in: &block)
        putOctal(size, at: TarBlock.Field.size, in: &block)
        putOctal(max(0, modificationTime), at: TarBlock.Field.mtime, in: &block)
        block[TarBlock.Field.typeflag] = typeflag
        put(Array("ustar\0".utf8), at: TarBlock.Field.magic, in: &block)
        put(Array("00".utf8), at: TarBlock.Field.version, in: &block)
        put(Array("root".utf8), at: TarBlock.Field.uname, in: &block)
        put(Array("root".utf8), at: TarBlock.Field.gname, in: &block)
        // The checksum field: six octal digits, NUL, space (what GNU tar writes).
        let digits = Array(String(TarBlock.checksum(block), radix: 8).utf8)
        let field = Array(repeating: UInt8(ascii: "0"), count: 6 - digits.count) + digits + [0, 0x20]
        put(field, at: TarBlock.Field.checksum, in: &block)
        return Data(block)
    }

    private static func put(_ bytes: [UInt8], at range: Range<Int>, in block: inout [UInt8]) {
        for (offset, byte) in bytes.prefix(range.count).enumerated() { block[range.lowerBound + offset] = byte }
    }

    /// Zero-padded octal filling the field but its last byte, which stays NUL.
    private static func putOctal(_ value: Int, at range: Range<Int>, in block: inout [UInt8]) {
        let digits = Array(String(value, radix: 8).utf8)
        let width = range.count - 1
        put(Array(repeating: UInt8(ascii: "0"), count: max(0, width - digits.count)) + digits, at: range, in: &block)
    }
}

/// Member path rules shared by the writer and the reader.
enum TarPath {
    /// Throws `.invalidPath` unless `path` is relative, non-empty, without `.`/`..`/empty components or NUL.
    static func check(_ path: String) throws {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\0") else {
            throw BundleError(.invalidPath, "unsafe member path '\(path)': it must be relative and not empty")
        }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        for component in components where component.isEmpty || component == "." || component == ".." {
            throw BundleError(.invalidPath, "unsafe member path '\(path)': no empty, '.' or '..' components")
        }
    }
}
