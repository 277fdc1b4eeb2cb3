internal import CLibGit2
import Foundation

extension GitRepository {
    /// Visits the commits after `base` up to HEAD, oldest first, in batches of `batchSize`, each commit with the
    /// paths it changed against its first parent. `base` nil walks the whole history. Throws `.invalidRevision`
    /// when `base` is not HEAD or an ancestor of it (history rewritten, another repository): the caller starts over.
    /// Returns HEAD's id (nil while HEAD is unborn).
    func changes(
        after base: String?, batchSize: Int, _ visit: ([ArchiveChange]) throws -> Void
    ) throws -> String? {
        let repo = try repository()
        guard let head = try headCommit() else {
            if let base { throw ArchiveError(.invalidRevision, "the archive has no commits, the index is at \(base)") }
            return nil
        }
        var headID = git_commit_id(head.pointer).pointee
        let headHex = hex(headID)
        if base == headHex { return headHex }
        var hidden: git_oid?
        if let base {
            var baseID = git_oid()
            guard base.utf8.count == 40, git_oid_fromstr(&baseID, base) == 0,
                git_graph_descendant_of(repo, &headID, &baseID) == 1
            else {
                throw ArchiveError(.invalidRevision, "\(base) is not an ancestor of HEAD \(headHex)")
            }
            hidden = baseID
        }
        var batch: [ArchiveChange] = []
        batch.reserveCapacity(batchSize)
        try walk(from: head, sorting: GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue, hiding: hidden) {
            commit in
            let newTree = try tree(of: commit)
            let oldTree = try parent(of: commit).map { try tree(of: $0) }
            var paths: [String] = []
            try changedPaths(old: oldTree?.pointer, new: newTree.pointer, prefix: "", into: &paths)
            batch.append(ArchiveChange(commit: try archiveCommit(commit), paths: paths))
            if batch.count >= batchSize {
                try visit(batch)
                batch.removeAll(keepingCapacity: true)
            }
            return true
        }
        if !batch.isEmpty { try visit(batch) }
        return headHex
    }

    /// Blob paths that differ between two trees. Equal subtree ids are skipped without being read, so a commit
    /// touching one file costs one path through the tree, not the whole tree.
    private func changedPaths(old: OpaquePointer?, new: OpaquePointer?, prefix: String, into paths: inout [String])
        throws
    {
        let oldCount = old.map { git_tree_entrycount($0) } ?? 0
        let newCount = new.map { git_tree_entrycount($0) } ?? 0
        var oldIndex = 0
        var newIndex = 0
        while oldIndex < oldCount || newIndex < newCount {
            let oldEntry = oldIndex < oldCount ? git_tree_entry_byindex(old, oldIndex) : nil
            let newEntry = newIndex < newCount ? git_tree_entry_byindex(new, newIndex) : nil
            let order: Int32
            if let oldEntry, let newEntry {
                order = Self.treeOrder(oldEntry, newEntry)
            } else {
                order = oldEntry == nil ? 1 : -1
            }
            if order < 0, let oldEntry {
                try report(oldEntry, side: .old, prefix: prefix, into: &paths)
                oldIndex += 1
            } else if order > 0, let newEntry {
                try report(newEntry, side: .new, prefix: prefix, into: &paths)
                newIndex += 1
            } else if let oldEntry, let newEntry {
                oldIndex += 1
                newIndex += 1
                if git_oid_equal(git_tree_entry_id(oldEntry), git_tree_entry_id(newEntry)) != 0
                    && git_tree_entry_filemode(oldEntry) == git_tree_entry_filemode(newEntry)
                {
                    continue
                }
                let name = String(cString: git_tree_entry_name(oldEntry))
                let bothTrees = git_tree_entry_type(oldEntry) == GIT_OBJECT_TREE
                    && git_tree_entry_type(newEntry) == GIT_OBJECT_TREE
                if bothTrees {
                    let oldTree = try subtree(oldEntry, path: prefix + name)
                    let newTree = try subtree(newEntry, path: prefix + name)
                    try changedPaths(
                        old: oldTree.pointer, new: newTree.pointer, prefix: prefix + name + "/", into: &paths)
                } else {
                    // Same name, and at least one side a file (the other side, when a tree, sorts elsewhere).
                    paths.append(prefix + name)
                }
            }
        }
    }

    private enum Side { case old, new }

    /// An entry only one side has: a file is one path, a tree all the files below it.
    private func report(_ entry: OpaquePointer, side: Side, prefix: String, into paths: inout [String]) throws {
        let name = String(cString: git_tree_entry_name(entry))
        guard git_tree_entry_type(entry) == GIT_OBJECT_TREE else {
            paths.append(prefix + name)
            return
        }
        let tree = try subtree(entry, path: prefix + name)
        switch side {
        case .old: try changedPaths(old: tree.pointer, new: nil, prefix: prefix + name + "/", into: &paths)
        case .new: try changedPaths(old: nil, new: tree.pointer, prefix: prefix + name + "/", into: &paths)
        }
    }

    private func subtree(_ entry: OpaquePointer, path: String) throws -> GitHandle {
        var tree: OpaquePointer?
        let result = git_tree_lookup(&tree, try repository(), git_tree_entry_id(entry))
        guard result == 0, let tree else { throw ArchiveError.git(.notFound, "cannot load tree \(path)", result) }
        return GitHandle(tree, release: git_tree_free)
    }

    /// Git's tree order: bytes of the name, a tree's name compared as if it ended in `/`.
    private static func treeOrder(_ left: OpaquePointer, _ right: OpaquePointer) -> Int32 {
        let leftName = git_tree_entry_name(left)!
        let rightName = git_tree_entry_name(right)!
        let leftLength = strlen(leftName)
        let rightLength = strlen(rightName)
        let common = memcmp(leftName, rightName, min(leftLength, rightLength))
        if common != 0 { return common }
        let leftNext: UInt8 = leftLength > rightLength
            ? UInt8(bitPattern: leftName[rightLength])
            : (git_tree_entry_type(left) == GIT_OBJECT_TREE ? UInt8(ascii: "/") : 0)
        let rightNext: UInt8 = rightLength > leftLength
            ? UInt8(bitPattern: rightName[leftLength])
            : (git_tree_entry_type(right) == GIT_OBJECT_TREE ? UInt8(ascii: "/") : 0)
        return Int32(leftNext) - Int32(rightNext)
    }
}
