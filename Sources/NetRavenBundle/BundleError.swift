/// The one error type of NetRavenBundle: callers switch on `code`, humans read `message`.
///
/// Messages name the member or file concerned and, for damaged input, what was wrong and where (byte offset);
/// they never carry configuration contents.
public struct BundleError: Error, CustomStringConvertible {
    /// What went wrong, as a value exit-code and retry logic can switch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case corruptCompression, truncated, corruptArchive, unsupportedMember, memberTooLarge
            case invalidPath, invalidManifest, io, compressionFailed
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The gzip stream is damaged: bad header, bad deflate data, or a CRC / length check failed.
        public static var corruptCompression: Self { Self(.corruptCompression) }
        /// The input ended in the middle of the gzip stream or of a tar member.
        public static var truncated: Self { Self(.truncated) }
        /// A tar header is malformed (bad checksum, bad number field, bad pax record).
        public static var corruptArchive: Self { Self(.corruptArchive) }
        /// A tar member is neither a regular file nor a directory (symlink, device, ...).
        public static var unsupportedMember: Self { Self(.unsupportedMember) }
        /// A tar member is bigger than the reader's cap.
        public static var memberTooLarge: Self { Self(.memberTooLarge) }
        /// A member path is empty, absolute, or contains `..` or NUL.
        public static var invalidPath: Self { Self(.invalidPath) }
        /// `manifest.json` is missing, not first, or not the documented schema.
        public static var invalidManifest: Self { Self(.invalidManifest) }
        /// Reading or writing a local file failed.
        public static var io: Self { Self(.io) }
        /// zlib refused to set up or run the compressor (out of memory, bad parameters).
        public static var compressionFailed: Self { Self(.compressionFailed) }

        /// The code's name, e.g. `truncated`.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// Human-readable detail.
    public var message: String
    /// The error that caused this one, if any.
    public var underlying: (any Error)?
    /// Where the error was thrown (`Module/File.swift:line`).
    public var location: String

    /// Creates an error; `location` defaults to the throwing site.
    public init(
        _ code: Code,
        _ message: String,
        underlying: (any Error)? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.location = "\(file):\(line)"
    }

    /// `code: message`, plus the underlying error when present.
    public var description: String {
        var text = "\(code): \(message)"
        if let underlying { text += " (underlying: \(underlying))" }
        return text
    }
}
