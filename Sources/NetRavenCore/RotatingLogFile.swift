import Foundation

/// A log file rotated by size: `path` is written; when a line would take it past `maxBytes` it becomes `path.1`,
/// `path.1` becomes `path.2` and so on, and the file past `maxFiles` in all is removed.
///
/// Whole lines only: a line is written to one file in one `write`, never split across two; a line longer than
/// `maxBytes` goes alone into a fresh file. Not thread-safe: the log writer's thread owns it.
public final class RotatingLogFile {
    /// The file being written.
    public let path: String
    /// Size at which the file is rotated.
    public let maxBytes: Int
    /// Files kept in all, `path` included.
    public let maxFiles: Int
    private var descriptor: Int32 = -1
    private var size = 0

    /// Opens (creating or appending to) `path`.
    /// - Throws: `LogFileError` when the file cannot be opened.
    public init(path: String, maxBytes: Int, maxFiles: Int) throws {
        self.path = path
        self.maxBytes = max(1, maxBytes)
        self.maxFiles = max(1, maxFiles)
        try openFile()
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Writes `line` (which ends in a newline), rotating first when it would not fit.
    /// - Throws: `LogFileError` when writing, renaming or reopening fails.
    public func write(_ line: String) throws {
        let bytes = Array(line.utf8)
        if size > 0 && size + bytes.count > maxBytes {
            try rotate()
        }
        try bytes.withUnsafeBytes { buffer in
            try writeAll(descriptor, buffer, what: path)
        }
        size += bytes.count
    }

    /// The name of the `index`-th older file (`path.1` is the newest of them).
    public func rotatedPath(_ index: Int) -> String { index == 0 ? path : "\(path).\(index)" }

    private func rotate() throws {
        close(descriptor)
        descriptor = -1
        let manager = FileManager.default
        // Shift from the oldest down, so no rename overwrites a file still to be moved.
        let oldest = rotatedPath(maxFiles - 1)
        if maxFiles == 1 {
            try? manager.removeItem(atPath: path)
        } else {
            try? manager.removeItem(atPath: oldest)
            for index in stride(from: maxFiles - 2, through: 0, by: -1) where manager.fileExists(atPath: rotatedPath(index)) {
                if rename(rotatedPath(index), rotatedPath(index + 1)) != 0 {
                    let reason = String(cString: strerror(errno))
                    throw LogFileError(message: "cannot rename \(rotatedPath(index)) to \(rotatedPath(index + 1)): \(reason)")
                }
            }
        }
        try openFile()
    }

    private func openFile() throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw LogFileError(message: "cannot open log file \(path): \(String(cString: strerror(errno)))")
        }
        var status = stat()
        size = fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0
    }
}

/// A log file could not be opened, written or rotated.
public struct LogFileError: Error, Sendable, CustomStringConvertible {
    /// What failed and why.
    public var message: String
    /// The message.
    public var description: String { message }
}

/// Writes all of `buffer` to `descriptor`, retrying short writes and interrupted calls.
func writeAll(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer, what: String) throws {
    guard let base = buffer.baseAddress else { return }
    var offset = 0
    while offset < buffer.count {
        let written = write(descriptor, base + offset, buffer.count - offset)
        if written < 0 {
            if errno == EINTR { continue }
            throw LogFileError(message: "cannot write \(what): \(String(cString: strerror(errno)))")
        }
        offset += written
    }
}
