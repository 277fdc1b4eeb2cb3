internal import CLibGit2
internal import Foundation

/// The libgit2 repository behind a `ConfigArchive`, plus the synchronous operations on it.
///
/// `@unchecked Sendable`: every method and the deinit-free are confined to the archive's single `NIOThreadPool`
/// thread (the archive only calls in through `runIfActive`/`submit` on its one-thread pool); the reference crosses
/// threads, the state never does.
final class GitRepository: @unchecked Sendable {
    private var handle: GitHandle?
    let path: String
    /// Loose objects in the object store: counted at open and after each pack, plus what each commit writes
    /// (see GitRepository+Pack.swift); nil until first counted.
    var looseObjectCount: Int?

    /// Opens the repository at `path`, or creates a bare one with initial branch `main` when `path` does not exist or
    /// is an empty directory.
    init(path: String) throws {
        _ = libgit2Initialization
        self.path = path
        var raw: OpaquePointer?
        var result = git_repository_open_ext(&raw, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil)
        if result == GIT_ENOTFOUND.rawValue {
            let contents = try? FileManager.default.contentsOfDirectory(atPath: path)
            if let contents, !contents.isEmpty {
                throw ArchiveError(.openFailed, "\(path) exists, is not empty and is not a Git repository")
            }
            var options = git_repository_init_options()
            result = git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION))
            guard result == 0 else { throw ArchiveError.git(.openFailed, "cannot initialise options", result) }
            options.flags = GIT_REPOSITORY_INIT_BARE.rawValue | GIT_REPOSITORY_INIT_MKPATH.rawValue
            result = "main".withCString { head in
                options.initial_head = head
                return git_repository_init_ext(&raw, path, &options)
            }
            guard result == 0, let raw else {
                throw ArchiveError.git(.openFailed, "cannot create bare repository at \(path)", result)
            }
            handle = GitHandle(raw, release: git_repository_free)
            return
        }
        guard result == 0, let raw else {
            throw ArchiveError.git(.openFailed, "cannot open repository at \(path)", result)
        }
        handle = GitHandle(raw, release: git_repository_free)
    }

    /// Frees the repository now (on the archive's thread); later calls throw `.closed`.
    func close() {
        handle = nil
    }

    /// The open repository, or `.closed`.
    func repository() throws -> OpaquePointer {
        guard let handle else { throw ArchiveError(.closed, "the archive at \(path) is closed") }
        return handle.pointer
    }

    // MARK: - Lookups

    /// HEAD's commit; nil while HEAD is unborn (no commit yet).
    func headCommit() throws -> GitHandle? {
        let repo = try repository()
        var reference: OpaquePointer?
        let result = git_repository_head(&reference, repo)
        if result == GIT_EUNBORNBRANCH.rawValue || result == GIT_ENOTFOUND.rawValue { return nil }
        guard result == 0, let reference else { throw ArchiveError.git(.notFound, "cannot read HEAD", result) }
        defer { git_reference_free(reference) }
        var object: OpaquePointer?
        let peeled = git_reference_peel(&object, reference, GIT_OBJECT_COMMIT)
        guard peeled == 0, let object else { throw ArchiveError.git(.notFound, "HEAD is not a commit", peeled) }
        return GitHandle(object, release: git_object_free)
    }

    /// Full name of HEAD's branch (`refs/heads/main`), also while it is unborn.
    func headBranch() throws -> String {
        let repo = try repository()
        var reference: OpaquePointer?
        let result = git_reference_lookup(&reference, repo, "HEAD")
        guard result == 0, let reference else { throw ArchiveError.git(.notFound, "cannot read HEAD", result) }
        defer { git_reference_free(reference) }
        guard let target = git_reference_symbolic_target(reference) else {
            throw ArchiveError(.notFound, "HEAD is detached; the archive needs HEAD on a branch")
        }
        return String(cString: target)
    }

    /// The commit a revision (`HEAD~2`, a short id, a branch) names.
    func commit(revision: String) throws -> GitHandle {
        let repo = try repository()
        var object: OpaquePointer?
        let result = git_revparse_single(&object, repo, revision)
        guard result == 0, let object else {
            throw ArchiveError.git(.invalidRevision, "cannot resolve revision '\(revision)'", result)
        }
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        let peeled = git_object_peel(&commit, object, GIT_OBJECT_COMMIT)
        guard peeled == 0, let commit else {
            throw ArchiveError.git(.invalidRevision, "revision '\(revision)' is not a commit", peeled)
        }
        return GitHandle(commit, release: git_object_free)
    }

    /// The `index`th parent of a commit, nil when it has none.
    func parent(of commit: GitHandle, _ index: UInt32 = 0) throws -> GitHandle? {
        guard git_commit_parentcount(commit.pointer) > index else { return nil }
        var parent: OpaquePointer?
        let result = git_commit_parent(&parent, commit.pointer, index)
        guard result == 0, let parent else { throw ArchiveError.git(.notFound, "cannot load parent commit", result) }
        return GitHandle(parent, release: git_commit_free)
    }

    /// The root tree of a commit.
    func tree(of commit: GitHandle) throws -> GitHandle {
        var tree: OpaquePointer?
        let result = git_commit_tree(&tree, commit.pointer)
        guard result == 0, let tree else { throw ArchiveError.git(.notFound, "cannot load commit tree", result) }
        return GitHandle(tree, release: git_tree_free)
    }

    /// Id of the blob at `path` in `commit`'s tree; nil when absent or not a file.
    func blobID(at path: ArchivePath, in commit: GitHandle?) throws -> git_oid? {
        guard let commit else { return nil }
        let tree = try tree(of: commit)
        var entry: OpaquePointer?
        let result = git_tree_entry_bypath(&entry, tree.pointer, path.string)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        guard result == 0, let entry else {
            throw ArchiveError.git(.notFound, "cannot look up \(path.string)", result)
        }
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return nil }
        return git_tree_entry_id(entry).pointee
    }

    /// The blob at `path` in `commit`; nil when absent.
    func blob(at path: ArchivePath, in commit: GitHandle?) throws -> GitHandle? {
        guard var oid = try blobID(at: path, in: commit) else { return nil }
        var blob: OpaquePointer?
        let result = git_blob_lookup(&blob, try repository(), &oid)
        guard result == 0, let blob else { throw ArchiveError.git(.notFound, "cannot load \(path.string)", result) }
        return GitHandle(blob, release: git_blob_free)
    }

    // MARK: - Conversions

    /// Reads a commit's metadata into the public value type.
    func archiveCommit(_ commit: GitHandle) throws -> ArchiveCommit {
        let pointer = commit.pointer
        let id = hex(git_commit_id(pointer).pointee)
        var shortBuffer = git_buf()
        defer { git_buf_dispose(&shortBuffer) }
        let shortID: String
        if git_object_short_id(&shortBuffer, pointer) == 0, let text = shortBuffer.ptr {
            shortID = String(cString: text)
        } else {
            shortID = String(id.prefix(7))
        }
        let message = git_commit_message(pointer).map { String(cString: $0) } ?? ""
        let summary = git_commit_summary(pointer).map { String(cString: $0) } ?? ""
        let parentIDs = (0..<git_commit_parentcount(pointer)).map { hex(git_commit_parent_id(pointer, $0).pointee) }
        return ArchiveCommit(
            id: id,
            shortID: shortID,
            summary: summary,
            message: message,
            author: Self.signature(git_commit_author(pointer)),
            committer: Self.signature(git_commit_committer(pointer)),
            trailers: Self.trailers(of: message),
            parentIDs: parentIDs
        )
    }

    private static func signature(_ signature: UnsafePointer<git_signature>?) -> ArchiveSignature {
        guard let signature else { return ArchiveSignature(name: "", email: "", date: Date(timeIntervalSince1970: 0)) }
        return ArchiveSignature(
            name: signature.pointee.name.map { String(cString: $0) } ?? "",
            email: signature.pointee.email.map { String(cString: $0) } ?? "",
            date: Date(timeIntervalSince1970: TimeInterval(signature.pointee.when.time))
        )
    }

    /// The trailer block of a message, parsed by libgit2 the way `git interpret-trailers` does.
    static func trailers(of message: String) -> [ArchiveTrailer] {
        var array = git_message_trailer_array()
        guard git_message_trailers(&array, message) == 0 else { return [] }
        defer { git_message_trailer_array_free(&array) }
        guard let trailers = array.trailers else { return [] }
        return (0..<array.count).map { index in
            ArchiveTrailer(
                key: trailers[index].key.map { String(cString: $0) } ?? "",
                value: trailers[index].value.map { String(cString: $0) } ?? ""
            )
        }
    }
}
