internal import CLibGit2

/// libgit2 is initialised once per process; `git_libgit2_init` is reference counted, and the archive never calls
/// `git_libgit2_shutdown` because other archives may live in the same process.
let libgit2Initialization: Int32 = git_libgit2_init()

/// Owns one libgit2 object (repository, commit, tree, blob...) and frees it in `deinit`.
///
/// Not `Sendable` on purpose: handles are created, used and released inside one synchronous block on the archive's
/// thread and must never escape it.
final class GitHandle {
    let pointer: OpaquePointer
    private let release: (OpaquePointer?) -> Void

    init(_ pointer: OpaquePointer, release: @escaping (OpaquePointer?) -> Void) {
        self.pointer = pointer
        self.release = release
    }

    deinit { release(pointer) }
}

extension ArchiveError {
    /// An error carrying libgit2's thread-local message; build it right after the failing call, on the same thread.
    static func git(
        _ code: Code,
        _ context: String,
        _ result: Int32,
        file: String = #fileID,
        line: Int = #line
    ) -> ArchiveError {
        ArchiveError(code, "\(context): \(lastGitErrorText(result))", file: file, line: line)
    }
}

/// libgit2's last error message on this thread, with the numeric result code.
func lastGitErrorText(_ result: Int32) -> String {
    if let error = git_error_last(), let message = error.pointee.message {
        return "\(String(cString: message)) (libgit2 \(result))"
    }
    return "libgit2 error \(result)"
}

/// Lowercase hexadecimal form of an object id.
func hex(_ oid: git_oid) -> String {
    let digits = Array("0123456789abcdef".utf8)
    return withUnsafeBytes(of: oid.id) { bytes in
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
