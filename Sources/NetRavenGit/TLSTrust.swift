internal import CLibGit2
internal import Foundation

/// The certificate authorities libgit2 verifies https remotes against, switched per push.
///
/// libgit2 keeps one trust chain per process (`GIT_OPT_SET_SSL_CERT_LOCATIONS`), and its mbedTLS backend
/// (Debian's build) *replaces* that chain, freeing the old one, when the option is set. So every https push runs
/// inside `withAuthorities`, which holds a process-wide lock for the whole push: a push to a remote with its own CA
/// file and a push to one verified against the system bundle, from two archives' threads, cannot see each other's
/// trust, and the chain is never swapped under a running handshake. Pushes are rare (one per commit batch), so
/// serialising them costs nothing that matters.
enum TLSTrust {
    /// The bundle Debian's libgit2 loads at start-up; restored when a remote without its own CA file is pushed to.
    static let systemBundle = "/etc/ssl/certs/ca-certificates.crt"
    static let systemDirectory = "/etc/ssl/certs"

    private static let state = TrustState()

    /// Runs `body` (the push) with libgit2 trusting exactly `caFile` when given, the system bundle otherwise.
    /// Runs on an archive's thread; the lock is a plain mutex, never taken on the cooperative pool.
    static func withAuthorities<T>(caFile: String?, _ body: () throws -> T) throws -> T {
        state.lock.lock()
        defer { state.lock.unlock() }
        if state.current != caFile {
            try install(caFile)
            state.current = caFile
        }
        return try body()
    }

    private static func install(_ caFile: String?) throws {
        guard let caFile else {
            let hasBundle = FileManager.default.isReadableFile(atPath: systemBundle)
            let result = nr_git_set_ssl_cert_locations(
                hasBundle ? systemBundle : nil, hasBundle ? nil : systemDirectory)
            guard result == 0 else {
                throw ArchiveError.git(.pushFailed, "cannot load the system CA certificates", result)
            }
            return
        }
        guard FileManager.default.isReadableFile(atPath: caFile) else {
            throw ArchiveError(.io, "the remote's CA file \(caFile) does not exist or is not readable")
        }
        let result = nr_git_set_ssl_cert_locations(caFile, nil)
        guard result == 0 else {
            throw ArchiveError.git(.pushFailed, "cannot load the remote's CA file \(caFile)", result)
        }
    }
}

/// The lock and what libgit2 currently trusts (nil: the system bundle it loaded at start-up).
/// `@unchecked Sendable`: `current` is read and written only while `lock` is held.
private final class TrustState: @unchecked Sendable {
    let lock = NSLock()
    var current: String?
}
