internal import CLibGit2
import Foundation

/// Automatic packing: libgit2 writes every object loose (one zlib file each, ≈20 KiB of disk per capture commit
/// once file-system blocks are counted); like `git gc --auto`, the archive packs them once there are enough.
extension GitRepository {
    /// Packs the loose objects when there are at least `threshold` of them (counted at open and after each pack,
    /// plus what each commit writes). Returns nil when below the threshold.
    func packIfNeeded(threshold: Int) throws -> PackResult? {
        guard threshold > 0 else { return nil }
        if looseObjectCount == nil { try countLooseObjects() }
        guard let count = looseObjectCount, count >= threshold else { return nil }
        return try packLooseObjects()
    }

    /// Counts the loose objects now (at open; packing and commits keep the count up to date afterwards).
    func countLooseObjects() throws {
        looseObjectCount = try looseObjects().count
    }

    /// Writes every loose object into one new pack (with its .idx), makes both durable, then removes the loose
    /// copies. Objects another process writes meanwhile were not listed and stay loose; nothing is ever lost: a
    /// loose file is removed only once the pack holding it is on disk and fsynced.
    func packLooseObjects() throws -> PackResult {
        let repo = try repository()
        let objects = try objectDirectory
        let loose = try looseObjects()
        guard !loose.isEmpty else {
            looseObjectCount = 0
            return PackResult(packedObjects: 0, packName: nil)
        }
        var builderPointer: OpaquePointer?
        var result = git_packbuilder_new(&builderPointer, repo)
        guard result == 0, let builder = builderPointer else {
            throw ArchiveError.git(.io, "cannot start a pack in \(path)", result)
        }
        defer { git_packbuilder_free(builder) }
        for object in loose {
            var oid = object.oid
            result = git_packbuilder_insert(builder, &oid, nil)
            guard result == 0 else {
                throw ArchiveError.git(.io, "cannot add object \(hex(oid)) to the pack in \(path)", result)
            }
        }
        let packDirectory = objects + "pack"
        result = git_packbuilder_write(builder, packDirectory, 0, nil, nil)
        guard result == 0 else { throw ArchiveError.git(.io, "cannot write the pack in \(packDirectory)", result) }
        guard git_packbuilder_written(builder) == loose.count, let rawName = git_packbuilder_name(builder) else {
            throw ArchiveError(
                .io, "the pack in \(packDirectory) holds \(git_packbuilder_written(builder)) objects, "
                    + "\(loose.count) were given; the loose objects are kept")
        }
        let name = "pack-" + String(cString: rawName)
        // libgit2 does not fsync by default: make the pack, its index and their directory entries durable before
        // the only other copies go.
        for file in ["\(packDirectory)/\(name).pack", "\(packDirectory)/\(name).idx", packDirectory] {
            try Self.sync(file)
        }
        var fanOuts = Set<String>()
        for object in loose {
            guard unlink(object.file) == 0 || errno == ENOENT else {
                throw ArchiveError(.io, "cannot remove the packed loose object \(object.file): errno \(errno)")
            }
            fanOuts.insert((object.file as NSString).deletingLastPathComponent)
        }
        for directory in fanOuts { rmdir(directory) }  // only succeeds when empty, like `git prune-packed`
        var odb: OpaquePointer?
        if git_repository_odb(&odb, repo) == 0, let odb {
            git_odb_refresh(odb)
            git_odb_free(odb)
        }
        looseObjectCount = try looseObjects().count
        return PackResult(packedObjects: loose.count, packName: name + ".pack")
    }

    /// `objects/` of this repository, with a trailing slash.
    private var objectDirectory: String {
        get throws {
            guard let gitDirectory = git_repository_path(try repository()) else {
                throw ArchiveError(.io, "no Git directory for \(path)")
            }
            return String(cString: gitDirectory) + "objects/"
        }
    }

    /// Every loose object file (`objects/xx/<38 hex>`), read from the directory rather than through libgit2's
    /// object database, which would list the packed ones too.
    private func looseObjects() throws -> [(oid: git_oid, file: String)] {
        let objects = try objectDirectory
        var found: [(oid: git_oid, file: String)] = []
        let manager = FileManager.default
        for fanOut in 0..<256 {
            let prefix = String(format: "%02x", fanOut)
            guard let names = try? manager.contentsOfDirectory(atPath: objects + prefix) else { continue }
            for name in names where name.utf8.count == 38 {
                var oid = git_oid()
                guard git_oid_fromstr(&oid, prefix + name) == 0 else { continue }
                found.append((oid, objects + prefix + "/" + name))
            }
        }
        return found
    }

    private static func sync(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw ArchiveError(.io, "cannot open \(path) to sync it: errno \(errno)") }
        defer { Foundation.close(descriptor) }
        guard fsync(descriptor) == 0 else { throw ArchiveError(.io, "cannot sync \(path): errno \(errno)") }
    }
}
