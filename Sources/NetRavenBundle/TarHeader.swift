import Foundation

/// What a tar member is; NetRaven bundles hold only these two kinds.
public enum TarMemberKind: Sendable, Equatable {
    case file
    case directory
}

/// The metadata of one tar member.
public struct TarHeader: Sendable, Equatable {
    /// Relative `/`-separated path (directories without the trailing `/`).
    public var path: String
    /// File or directory.
    public var kind: TarMemberKind
    /// Content length in bytes (0 for directories).
    public var size: Int
    /// Modification time, whole seconds since 1970 UTC.
    public var modificationTime: Int
    /// Permission bits, e.g. 0o644.
    public var mode: Int

    /// Creates a header.
    public init(path: String, kind: TarMemberKind = .file, size: Int, modificationTime: Int, mode: Int? = nil) {
        self.path = path
        self.kind = kind
        self.size = kind == .directory ? 0 : size
        self.modificationTime = modificationTime
        self.mode = mode ?? (kind == .directory ? 0o755 : 0o644)
    }
}

/// The ustar header block layout (POSIX.1-1988 as extended by pax), shared by the writer and the reader.
enum TarBlock {
    static let size = 512
    /// ustar's `size` field holds 11 octal digits: members from 8 GiB on need a pax `size` record.
    static let maximumOctalSize = 0o77777777777

    enum Field {
        static let name = 0..<100
        static let mode = 100..<108
        static let uid = 108..<116
        static let gid = 116..<124
        static let size = 124..<136
        static let mtime = 136..<148
        static let checksum = 148..<156
        static let typeflag = 156
        static let magic = 257..<263
        static let version = 263..<265
        static let uname = 265..<297
        static let gname = 297..<329
        static let prefix = 345..<500
    }

    /// Sum of the header's bytes with the checksum field counted as spaces (unsigned, as POSIX says).
    static func checksum(_ block: [UInt8]) -> Int {
        var sum = 0
        for (index, byte) in block.enumerated() {
            sum += Field.checksum.contains(index) ? 0x20 : Int(byte)
        }
        return sum
    }

    /// The same sum with bytes taken as signed, which some old tars wrote.
    static func signedChecksum(_ block: [UInt8]) -> Int {
        var sum = 0
        for (index, byte) in block.enumerated() {
            sum += Field.checksum.contains(index) ? 0x20 : Int(Int8(bitPattern: byte))
        }
        return sum
    }

    /// Zero padding that completes `size` bytes of content to a whole block.
    static func padding(after length: Int) -> Int {
        (size - length % size) % size
    }
}
