/// The one error type of NetRavenGit: callers switch on `code`, humans read `message`.
///
/// `message` carries libgit2's own text when libgit2 failed. It never carries a secret (token, password,
/// passphrase): push errors are scrubbed of the remote's credentials before they are built.
public struct ArchiveError: Error, CustomStringConvertible {
    /// What went wrong, as a value retry and alert logic can switch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case openFailed, commitFailed, notFound, invalidPath, invalidRevision
            case pushRejected, pushFailed, hostKeyMismatch, certificateUntrusted, authenticationFailed, io, closed
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The repository could not be opened or created.
        public static var openFailed: Self { Self(.openFailed) }
        /// Building blobs, trees or the commit failed.
        public static var commitFailed: Self { Self(.commitFailed) }
        /// A path, object or reference that must exist does not.
        public static var notFound: Self { Self(.notFound) }
        /// A path given to the archive is not a safe relative path.
        public static var invalidPath: Self { Self(.invalidPath) }
        /// A revision string did not resolve to a commit.
        public static var invalidRevision: Self { Self(.invalidRevision) }
        /// The remote refused the update (hook, non-fast-forward, protected branch).
        public static var pushRejected: Self { Self(.pushRejected) }
        /// The push failed for any other reason (network, transport, remote repository missing).
        public static var pushFailed: Self { Self(.pushFailed) }
        /// The remote's SSH host key is not the pinned or previously recorded one.
        public static var hostKeyMismatch: Self { Self(.hostKeyMismatch) }
        /// The https remote's TLS certificate does not chain to a trusted CA or does not name the host.
        public static var certificateUntrusted: Self { Self(.certificateUntrusted) }
        /// The remote did not accept the credentials.
        public static var authenticationFailed: Self { Self(.authenticationFailed) }
        /// Local file I/O failed (known-hosts store, directories).
        public static var io: Self { Self(.io) }
        /// The archive was closed; no further operations are possible.
        public static var closed: Self { Self(.closed) }

        /// The code's name, e.g. `pushRejected`.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// Human-readable detail, including libgit2's message when there is one.
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
