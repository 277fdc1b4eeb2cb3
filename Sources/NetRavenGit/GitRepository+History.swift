internal import CLibGit2

extension GitRepository {
    /// Contents of `path` at `revision` (HEAD when nil); nil when the path is absent there or HEAD is unborn.
    func read(path: ArchivePath, revision: String?) throws -> String? {
        try readData(path: path, revision: revision).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Commits reachable from HEAD whose blob at `path` differs from their first parent's, newest first.
    func history(path: ArchivePath, limit: Int?) throws -> [ArchiveCommit] {
        if let limit, limit <= 0 { return [] }
        var commits: [ArchiveCommit] = []
        try walkFromHead { commit in
            let current = try blobID(at: path, in: commit).map(hex)
            let previous = try blobID(at: path, in: try parent(of: commit)).map(hex)
            guard current != previous else { return true }
            commits.append(try archiveCommit(commit))
            if let limit, commits.count >= limit { return false }
            return true
        }
        return commits
    }

    /// Unified diff of `path` between two revisions (see `ConfigArchive.diff`).
    func diff(path: ArchivePath, from: String?, to: String?) throws -> String {
        let newCommit: GitHandle?
        if let to {
            newCommit = try commit(revision: to)
        } else {
            newCommit = try headCommit()
        }
        let oldCommit: GitHandle?
        if let from {
            oldCommit = try commit(revision: from)
        } else if let newCommit {
            oldCommit = try parent(of: newCommit)
        } else {
            oldCommit = nil
        }
        let oldBlob = try blob(at: path, in: oldCommit)
        let newBlob = try blob(at: path, in: newCommit)
        if oldBlob == nil && newBlob == nil { return "" }

        var options = git_diff_options()
        var result = git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION))
        guard result == 0 else { throw ArchiveError.git(.io, "cannot initialise diff options", result) }
        var patchPointer: OpaquePointer?
        result = git_patch_from_blobs(
            &patchPointer, oldBlob?.pointer, path.string, newBlob?.pointer, path.string, &options)
        guard result == 0, let patch = patchPointer else {
            throw ArchiveError.git(.io, "cannot diff \(path.string)", result)
        }
        defer { git_patch_free(patch) }
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        result = git_patch_to_buf(&buffer, patch)
        guard result == 0 else { throw ArchiveError.git(.io, "cannot format diff of \(path.string)", result) }
        guard let bytes = buffer.ptr else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: buffer.size), as: UTF8.self)
    }

    static func text(of blob: GitHandle) -> String {
        let size = Int(git_blob_rawsize(blob.pointer))
        guard size > 0, let bytes = git_blob_rawcontent(blob.pointer) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: size), as: UTF8.self)
    }
}
