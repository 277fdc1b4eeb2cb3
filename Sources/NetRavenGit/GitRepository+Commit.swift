internal import CLibGit2

extension GitRepository {
    /// Writes `files` on top of HEAD's tree and commits, or returns nil when the resulting tree equals HEAD's.
    func commit(
        files: [ArchiveFile],
        message: String,
        author: ArchiveSignature,
        committer: ArchiveSignature
    ) throws -> CommitOutcome? {
        let repo = try repository()
        let root = PendingTree()
        var seen = Set<ArchivePath>()
        var validated: [(ArchivePath, String)] = []
        for file in files {
            let path = try ArchivePath(file.path)
            guard seen.insert(path).inserted else {
                throw ArchiveError(.invalidPath, "path given twice in one commit: \(path.string)")
            }
            validated.append((path, file.contents))
        }
        guard !validated.isEmpty else { return nil }

        for (path, contents) in validated {
            var oid = git_oid()
            let bytes = Array(contents.utf8)
            let result = bytes.withUnsafeBytes { git_blob_create_from_buffer(&oid, repo, $0.baseAddress, $0.count) }
            guard result == 0 else {
                throw ArchiveError.git(.commitFailed, "cannot write blob for \(path.string)", result)
            }
            try root.insert(path.components[...], blob: oid, fullPath: path.string)
            looseObjectCount? += 1
        }

        let parent = try headCommit()
        let baseTree = try parent.map { try tree(of: $0) }
        var treeID = try write(root, base: baseTree?.pointer, prefix: "")
        if let baseTree, hex(git_tree_id(baseTree.pointer).pointee) == hex(treeID) { return nil }

        var treeObject: OpaquePointer?
        var result = git_tree_lookup(&treeObject, repo, &treeID)
        guard result == 0, let treeObject else { throw ArchiveError.git(.commitFailed, "cannot load new tree", result) }
        let newTree = GitHandle(treeObject, release: git_tree_free)

        let authorSignature = try Self.makeSignature(author, role: "author")
        defer { git_signature_free(authorSignature) }
        let committerSignature = try Self.makeSignature(committer, role: "committer")
        defer { git_signature_free(committerSignature) }

        // Normalise like `git commit` does (trailing whitespace, final newline) so trailers parse the same way.
        var cleaned = git_buf()
        defer { git_buf_dispose(&cleaned) }
        result = git_message_prettify(&cleaned, message, 0, CChar(UInt8(ascii: "#")))
        guard result == 0, let cleanedMessage = cleaned.ptr else {
            throw ArchiveError.git(.commitFailed, "cannot normalise commit message", result)
        }

        var commitID = git_oid()
        var parents: [OpaquePointer?] = parent.map { [$0.pointer] } ?? []
        result = parents.withUnsafeMutableBufferPointer { buffer in
            git_commit_create(
                &commitID, repo, "HEAD", authorSignature, committerSignature, "UTF-8", cleanedMessage,
                newTree.pointer, buffer.count, buffer.baseAddress)
        }
        guard result == 0 else { throw ArchiveError.git(.commitFailed, "cannot create commit", result) }
        looseObjectCount? += 1

        var commitObject: OpaquePointer?
        result = git_commit_lookup(&commitObject, repo, &commitID)
        guard result == 0, let commitObject else {
            throw ArchiveError.git(.commitFailed, "cannot load new commit", result)
        }
        let commit = GitHandle(commitObject, release: git_commit_free)
        return CommitOutcome(
            commit: try archiveCommit(commit),
            changedFiles: try diffStats(from: baseTree, to: newTree))
    }

    /// Per-file insertions/deletions between two trees (`from` nil = empty tree).
    func diffStats(from old: GitHandle?, to new: GitHandle) throws -> [FileStat] {
        var diff: OpaquePointer?
        var result = git_diff_tree_to_tree(&diff, try repository(), old?.pointer, new.pointer, nil)
        guard result == 0, let diff else { throw ArchiveError.git(.commitFailed, "cannot diff trees", result) }
        defer { git_diff_free(diff) }
        var stats: [FileStat] = []
        for index in 0..<git_diff_num_deltas(diff) {
            var patch: OpaquePointer?
            result = git_patch_from_diff(&patch, diff, index)
            guard result == 0, let patch else { throw ArchiveError.git(.commitFailed, "cannot build patch", result) }
            defer { git_patch_free(patch) }
            var context = 0
            var insertions = 0
            var deletions = 0
            result = git_patch_line_stats(&context, &insertions, &deletions, patch)
            guard result == 0 else { throw ArchiveError.git(.commitFailed, "cannot count lines", result) }
            guard let delta = git_patch_get_delta(patch) else { continue }
            let file = delta.pointee.status == GIT_DELTA_DELETED ? delta.pointee.old_file : delta.pointee.new_file
            stats.append(
                FileStat(
                    path: file.path.map { String(cString: $0) } ?? "",
                    insertions: insertions,
                    deletions: deletions,
                    isNew: delta.pointee.status == GIT_DELTA_ADDED))
        }
        return stats.sorted { $0.path < $1.path }
    }

    /// Writes `node` over `base` with tree builders, bottom-up, and returns the new tree's id.
    private func write(_ node: PendingTree, base: OpaquePointer?, prefix: String) throws -> git_oid {
        let repo = try repository()
        var builderPointer: OpaquePointer?
        var result = git_treebuilder_new(&builderPointer, repo, base)
        guard result == 0, let builder = builderPointer else {
            throw ArchiveError.git(.commitFailed, "cannot create tree builder", result)
        }
        defer { git_treebuilder_free(builder) }

        for (name, blob) in node.blobs {
            if let existing = git_treebuilder_get(builder, name), git_tree_entry_type(existing) == GIT_OBJECT_TREE {
                throw ArchiveError(.invalidPath, "\(prefix)\(name) is a directory in the archive")
            }
            var oid = blob
            result = git_treebuilder_insert(nil, builder, name, &oid, GIT_FILEMODE_BLOB)
            guard result == 0 else { throw ArchiveError.git(.commitFailed, "cannot add \(prefix)\(name)", result) }
        }
        for (name, child) in node.children {
            var childBase: GitHandle?
            if let existing = git_treebuilder_get(builder, name) {
                guard git_tree_entry_type(existing) == GIT_OBJECT_TREE else {
                    throw ArchiveError(.invalidPath, "\(prefix)\(name) is a file in the archive")
                }
                var subtree: OpaquePointer?
                result = git_tree_lookup(&subtree, repo, git_tree_entry_id(existing))
                guard result == 0, let subtree else {
                    throw ArchiveError.git(.commitFailed, "cannot load tree \(prefix)\(name)", result)
                }
                childBase = GitHandle(subtree, release: git_tree_free)
            }
            var childID = try write(child, base: childBase?.pointer, prefix: "\(prefix)\(name)/")
            result = git_treebuilder_insert(nil, builder, name, &childID, GIT_FILEMODE_TREE)
            guard result == 0 else { throw ArchiveError.git(.commitFailed, "cannot add \(prefix)\(name)/", result) }
        }
        var treeID = git_oid()
        result = git_treebuilder_write(&treeID, builder)
        guard result == 0 else { throw ArchiveError.git(.commitFailed, "cannot write tree \(prefix)", result) }
        looseObjectCount? += 1
        return treeID
    }

    private static func makeSignature(
        _ signature: ArchiveSignature,
        role: String
    ) throws -> UnsafeMutablePointer<git_signature> {
        var out: UnsafeMutablePointer<git_signature>?
        let seconds = git_time_t(signature.date.timeIntervalSince1970.rounded(.down))
        let result = git_signature_new(&out, signature.name, signature.email, seconds, 0)
        guard result == 0, let out else {
            let text = "invalid \(role) signature '\(signature.name) <\(signature.email)>'"
            throw ArchiveError.git(.commitFailed, text, result)
        }
        return out
    }
}

/// The new blobs of one commit, as a tree of directories; written over HEAD's tree by `GitRepository.write`.
private final class PendingTree {
    var blobs: [String: git_oid] = [:]
    var children: [String: PendingTree] = [:]

    func insert(_ components: ArraySlice<String>, blob: git_oid, fullPath: String) throws {
        guard let name = components.first else { return }
        if components.count == 1 {
            guard children[name] == nil else {
                throw ArchiveError(.invalidPath, "\(fullPath) is used both as a file and as a directory")
            }
            blobs[name] = blob
            return
        }
        guard blobs[name] == nil else {
            throw ArchiveError(.invalidPath, "\(fullPath) is used both as a file and as a directory")
        }
        let child = children[name] ?? PendingTree()
        children[name] = child
        try child.insert(components.dropFirst(), blob: blob, fullPath: fullPath)
    }
}
