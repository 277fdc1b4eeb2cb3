internal import CLibGit2
internal import Dispatch
internal import NIOPosix
public import Foundation

/// The configuration archive: a bare Git repository holding one text file per device, committed only on change
/// and pushed (never forced) to a remote.
///
/// Every libgit2 call runs on one thread owned by the archive (a one-thread `NIOThreadPool`), never on Swift's
/// cooperative pool: libgit2 objects are not thread-safe, its error text is thread-local, and its calls block.
/// Calls are therefore serialised in submission order. Call `close()` when done; `deinit` closes as a fallback.
public final class ConfigArchive: Sendable {
    /// Filesystem path of the repository.
    public let path: String
    private let pool: NIOThreadPool
    private let repository: GitRepository

    /// Loose objects that trigger packing after a commit (`git gc --auto`'s `gc.auto`); 0 = never pack.
    public let autoPackThreshold: Int

    /// `git gc --auto`'s default: 6,700 loose objects (≈1,700 capture commits).
    public static let defaultAutoPackThreshold = 6_700

    /// Opens the repository at `path`, creating a bare repository (initial branch `main`) when `path` is missing or
    /// an empty directory. Blocks briefly while the archive's thread opens the repository.
    /// After a commit, once `autoPackThreshold` loose objects or more are stored, they are packed (0 = never).
    public init(path: String, autoPackThreshold: Int = ConfigArchive.defaultAutoPackThreshold) throws {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        do {
            repository = try Self.runAndWait(on: pool) {
                let repository = try GitRepository(path: path)
                // Counted once here so the first commit is not the one that pays for reading `objects/`.
                if autoPackThreshold > 0 { try repository.countLooseObjects() }
                return repository
            }
        } catch {
            pool.shutdownGracefully { _ in }
            throw error
        }
        self.path = path
        self.pool = pool
        self.autoPackThreshold = max(0, autoPackThreshold)
    }

    deinit {
        let repository = self.repository
        pool.submit { state in
            if case .active = state { repository.close() }
        }
        pool.shutdownGracefully { _ in }
    }

    /// Frees the repository on the archive's thread and stops that thread; later calls throw `.closed`.
    public func close() async {
        let repository = self.repository
        _ = try? await pool.runIfActive { repository.close() }
        try? await pool.shutdownGracefully()
    }

    /// Writes `files` on top of HEAD's tree and commits them in one commit.
    ///
    /// Paths are relative and `/`-separated (`emea/par1/r1.cfg`); `..`, absolute paths, empty components and `.git`
    /// are rejected with `.invalidPath`. Files not listed keep their HEAD contents. Returns nil, and commits
    /// nothing, when every file already has exactly this content at HEAD.
    public func commit(
        files: [ArchiveFile],
        message: String,
        author: ArchiveSignature,
        committer: ArchiveSignature
    ) async throws -> CommitOutcome? {
        let threshold = autoPackThreshold
        return try await run { repository in
            guard var outcome = try repository.commit(
                files: files, message: message, author: author, committer: committer)
            else { return nil }
            // The commit is made: a failed pack leaves the objects loose (still valid) and is reported, not thrown.
            do {
                outcome.pack = try repository.packIfNeeded(threshold: threshold)
            } catch {
                outcome.packFailure = "\(error)"
            }
            return outcome
        }
    }

    /// Contents of `path` at `revision` (anything `git rev-parse` accepts: `HEAD~2`, short ids; HEAD when nil).
    /// Nil when the path does not exist there or the archive has no commit yet.
    public func read(path: String, revision: String? = nil) async throws -> String? {
        let archivePath = try ArchivePath(path)
        return try await run { try $0.read(path: archivePath, revision: revision) }
    }

    /// Commits that changed `path` (added, modified or removed it), newest first, at most `limit`.
    public func history(path: String, limit: Int? = nil) async throws -> [ArchiveCommit] {
        let archivePath = try ArchivePath(path)
        return try await run { try $0.history(path: archivePath, limit: limit) }
    }

    /// The exact bytes of `path` at `revision` (HEAD when nil); nil when the path does not exist there or the
    /// archive has no commit yet. Throws `.invalidRevision` for a revision the repository does not know.
    public func readData(path: String, revision: String? = nil) async throws -> Data? {
        let archivePath = try ArchivePath(path)
        return try await run { try $0.readData(path: archivePath, revision: revision) }
    }

    /// For each of `paths` present at HEAD, the newest commit that changed it (paths absent at HEAD are left out).
    /// One history walk serves all paths.
    public func lastChanges(paths: [String]) async throws -> [String: ArchiveCommit] {
        let archivePaths = try paths.map { try ArchivePath($0) }
        return try await run { try $0.lastChanges(paths: archivePaths) }
    }

    /// Unified diff of `path` with `a/path` / `b/path` headers between `from` and `to`.
    /// `to` nil means HEAD; `from` nil means the first parent of `to`. Empty when the file is identical or absent.
    public func diff(path: String, from: String? = nil, to: String? = nil) async throws -> String {
        let archivePath = try ArchivePath(path)
        return try await run { try $0.diff(path: archivePath, from: from, to: to) }
    }

    /// The commit HEAD points at; nil before the first commit.
    public func head() async throws -> ArchiveCommit? {
        try await run { repository in try repository.headCommit().map { try repository.archiveCommit($0) } }
    }

    /// Pushes the local branch (HEAD) to `remote.branch` with a non-forcing refspec.
    ///
    /// Everything committed since the last successful push goes along, since the branch head includes it. A failed
    /// push leaves local commits untouched. Throws `.pushRejected` when the remote refuses the update (hook,
    /// non-fast-forward), `.hostKeyMismatch`, `.authenticationFailed` or `.pushFailed`.
    public func push(_ remote: PushRemote) async throws -> PushResult {
        try await run { try $0.push(remote) }
    }

    /// True when this libgit2 can push over `ssh://`.
    /// (`git_libgit2_features` only reads build-time flags, so it is the one call made off the archive's thread.)
    public static var supportsSSH: Bool {
        git_libgit2_features() & Int32(GIT_FEATURE_SSH.rawValue) != 0
    }

    // MARK: - Thread confinement

    func run<T: Sendable>(_ body: @escaping @Sendable (GitRepository) throws -> T) async throws -> T {
        let repository = self.repository
        do {
            return try await pool.runIfActive { try body(repository) }
        } catch let error as ArchiveError {
            throw error
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            throw ArchiveError(.closed, "the archive at \(path) is closed")
        } catch is CancellationError where !Task.isCancelled {
            // A stopped pool cancels work instead of running it: the archive was closed.
            throw ArchiveError(.closed, "the archive at \(path) is closed")
        }
    }

    /// Runs `body` on the pool's thread and blocks the caller until it finished (for the synchronous `init`).
    private static func runAndWait<T: Sendable>(
        on pool: NIOThreadPool,
        _ body: @escaping @Sendable () throws -> T
    ) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        pool.submit { state in
            switch state {
            case .active: box.result = Result(catching: body)
            case .cancelled: box.result = .failure(ArchiveError(.closed, "the archive's thread stopped"))
            }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }
}

/// Hands a result from the pool's thread to a waiting thread.
/// `@unchecked Sendable`: written once on the archive's thread before `signal()`, read only after `wait()`.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
