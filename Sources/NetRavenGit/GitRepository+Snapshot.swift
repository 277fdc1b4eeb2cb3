internal import CLibGit2
import Foundation

extension GitRepository {
    /// Visits the commits reachable from HEAD, newest first (topological, then by time), until `visit` returns
    /// false. Nothing happens when HEAD is unborn.
    func walkFromHead(_ visit: (GitHandle) throws -> Bool) throws {
        guard let head = try headCommit() else { return }
        try walk(from: head, sorting: GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue, hiding: nil, visit)
    }

    /// Visits the commits reachable from `head` and not from `hidden`, in `sorting` order, until `visit` returns
    /// false.
    func walk(from head: GitHandle, sorting: UInt32, hiding hidden: git_oid?, _ visit: (GitHandle) throws -> Bool)
        throws
    {
        let repo = try repository()
        var walkPointer: OpaquePointer?
        var result = git_revwalk_new(&walkPointer, repo)
        guard result == 0, let walk = walkPointer else {
            throw ArchiveError.git(.notFound, "cannot walk history", result)
        }
        defer { git_revwalk_free(walk) }
        result = git_revwalk_sorting(walk, sorting)
        guard result == 0 else { throw ArchiveError.git(.notFound, "cannot sort history", result) }
        result = git_revwalk_push(walk, git_commit_id(head.pointer))
        guard result == 0 else { throw ArchiveError.git(.notFound, "cannot walk from HEAD", result) }
        if var hidden {
            result = git_revwalk_hide(walk, &hidden)
            guard result == 0 else {
                throw ArchiveError.git(.notFound, "cannot hide \(hex(hidden)) from the walk", result)
            }
        }

        var oid = git_oid()
        while true {
            result = git_revwalk_next(&oid, walk)
            if result == GIT_ITEROVER.rawValue { return }
            guard result == 0 else { throw ArchiveError.git(.notFound, "history walk failed", result) }
            var commitPointer: OpaquePointer?
            result = git_commit_lookup(&commitPointer, repo, &oid)
            guard result == 0, let commitPointer else {
                throw ArchiveError.git(.notFound, "cannot load commit \(hex(oid))", result)
            }
            guard try visit(GitHandle(commitPointer, release: git_commit_free)) else { return }
        }
    }

    /// For each path present at HEAD, the newest commit that changed it; one walk for all paths, stopping as soon
    /// as every path has its commit (a device changed last week is found within a week of history).
    func lastChanges(paths: [ArchivePath]) throws -> [String: ArchiveCommit] {
        guard let head = try headCommit() else { return [:] }
        var pending: [ArchivePath] = []
        for path in paths where try blobID(at: path, in: head) != nil { pending.append(path) }
        var found: [String: ArchiveCommit] = [:]
        try walkFromHead { commit in
            let parent = try parent(of: commit)
            var stillPending: [ArchivePath] = []
            for path in pending {
                let current = try blobID(at: path, in: commit).map(hex)
                let previous = try blobID(at: path, in: parent).map(hex)
                if current != previous {
                    found[path.string] = try archiveCommit(commit)
                } else {
                    stillPending.append(path)
                }
            }
            pending = stillPending
            return !pending.isEmpty
        }
        return found
    }

    /// The exact bytes of `path` at `revision` (HEAD when nil); nil when absent there or HEAD is unborn.
    func readData(path: ArchivePath, revision: String?) throws -> Data? {
        let commit: GitHandle
        if let revision {
            commit = try self.commit(revision: revision)
        } else {
            guard let head = try headCommit() else { return nil }
            commit = head
        }
        guard let blob = try blob(at: path, in: commit) else { return nil }
        let size = Int(git_blob_rawsize(blob.pointer))
        guard size > 0, let bytes = git_blob_rawcontent(blob.pointer) else { return Data() }
        return Data(bytes: bytes, count: size)
    }
}
