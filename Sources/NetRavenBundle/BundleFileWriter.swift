import Crypto
import Foundation

/// Writes a bundle into a directory so that the final name only ever names a complete, fsync'd file.
struct BundleFileWriter {
    let directory: String

    func write(_ bundle: ArchiveBundle) throws -> WrittenBundle {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw BundleError(.io, "cannot create the output directory \(directory)", underlying: error)
        }
        let finalPath = (directory as NSString).appendingPathComponent(bundle.fileName)
        if FileManager.default.fileExists(atPath: finalPath) {
            throw BundleError(.io, "\(finalPath) already exists; not overwriting it")
        }
        let temporaryPath = (directory as NSString)
            .appendingPathComponent(".\(bundle.fileName).\(ProcessInfo.processInfo.processIdentifier).tmp")
        let created = FileManager.default.createFile(
            atPath: temporaryPath, contents: nil, attributes: [.posixPermissions: 0o600])
        guard created else {
            throw BundleError(.io, "cannot create \(temporaryPath)")
        }
        // Whatever happens, the temporary name goes; after a successful link the final name holds the file.
        defer { unlink(temporaryPath) }
        let handle: FileHandle
        do {
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporaryPath))
        } catch {
            throw BundleError(.io, "cannot open \(temporaryPath)", underlying: error)
        }
        var hash = SHA256()
        var size = 0
        do {
            try bundle.writeTarGzip { chunk in
                hash.update(data: chunk)
                size += chunk.count
                try handle.write(contentsOf: chunk)
            }
            try handle.synchronize()
            try handle.close()
        } catch let error as BundleError {
            try? handle.close()
            throw error
        } catch {
            try? handle.close()
            throw BundleError(.io, "cannot write \(temporaryPath)", underlying: error)
        }
        // link(2) fails with EEXIST instead of replacing, so a bundle made in the same second is never clobbered.
        guard link(temporaryPath, finalPath) == 0 else {
            let reason = String(cString: strerror(errno))
            throw BundleError(.io, "cannot move the bundle to \(finalPath): \(reason)")
        }
        try Self.synchronizeDirectory(directory)
        return WrittenBundle(
            path: finalPath, name: bundle.fileName, size: size, sha256: SHA256Digest.hex(hash.finalize()),
            entries: bundle.manifest.entries.count)
    }

    /// fsync on the directory makes the new name itself durable.
    private static func synchronizeDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else {
            throw BundleError(.io, "cannot open \(path) to sync it: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw BundleError(.io, "cannot sync \(path): \(String(cString: strerror(errno)))")
        }
    }
}
