import Foundation
import NetRavenGit
import Testing

/// Automatic and explicit packing on real repositories, checked with the `git` CLI.
@Suite struct ConfigArchivePackTests {
    /// `git count-objects -v` as numbers: `count` (loose) and `in-pack`.
    private func objectCounts(_ repository: String) throws -> (loose: Int, packed: Int) {
        var values: [String: Int] = [:]
        for line in try git("--git-dir=\(repository)", "count-objects", "-v").split(separator: "\n") {
            let parts = line.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { values[parts[0]] = Int(parts[1]) }
        }
        return (try #require(values["count"]), try #require(values["in-pack"]))
    }

    @Test func commitsPackLooseObjectsOverTheThresholdAndEveryVersionStaysReadable() async throws {
        try await withTemporaryDirectory { directory in
            let path = "\(directory)/archive.git"
            let archive = try ConfigArchive(path: path, autoPackThreshold: 20)
            var packed = 0
            for version in 1...12 {
                let outcome = try #require(
                    try await archive.commit([
                        "core/r\(version % 3).cfg": "r \(version)\n", "edge/x.cfg": "v\(version)\n",
                    ]))
                #expect(outcome.packFailure == nil)
                packed += outcome.pack?.packedObjects ?? 0
            }
            // Each commit writes 2 blobs, 3 trees and a commit: 6 objects, so 72 in all, packed in rounds of >= 20.
            #expect(packed >= 60)
            for version in 1...12 {
                #expect(try await archive.read(path: "edge/x.cfg", revision: "HEAD~\(12 - version)") == "v\(version)\n")
            }
            #expect(try await archive.history(path: "edge/x.cfg").count == 12)
            await archive.close()

            let counts = try objectCounts(path)
            #expect(counts.packed == packed)
            #expect(counts.loose == 72 - packed)
            let fsck = try runProcess("/usr/bin/git", ["--git-dir=\(path)", "fsck", "--full", "--strict"])
            #expect(!fsck.stdout.contains("missing") && !fsck.stderr.contains("error"))
        }
    }

    @Test func explicitPackRemovesEveryLooseObjectAndPushStillWorks() async throws {
        try await withTemporaryDirectory { directory in
            let path = "\(directory)/archive.git"
            let archive = try ConfigArchive(path: path, autoPackThreshold: 0)
            for version in 1...5 { try await archive.commit(["core/r1.cfg": "version \(version)\n"]) }
            let before = try objectCounts(path)
            // Each commit writes a blob, two trees and the commit.
            #expect(before.loose == 5 * 4 && before.packed == 0)

            let result = try await archive.packLooseObjects()
            #expect(result.packedObjects == before.loose)
            let packName = try #require(result.packName)
            #expect(FileManager.default.fileExists(atPath: "\(path)/objects/pack/\(packName)"))
            #expect(try objectCounts(path) == (loose: 0, packed: before.loose))
            #expect(try await archive.packLooseObjects().packedObjects == 0)

            // New commits build on packed trees; a push sends packed and loose objects alike.
            let last = try #require(try await archive.commit(["core/r2.cfg": "new\n"]))
            let remotePath = "\(directory)/remote.git"
            try makeBareRemote(at: remotePath)
            let remote = PushRemote(url: "file://\(remotePath)", hostKeyPolicy: .insecureAcceptAny)
            let pushed = try await archive.push(remote)
            #expect(pushed.pushedCommit == last.commit.id)
            #expect(try git("--git-dir=\(remotePath)", "show", "main~1:core/r1.cfg") == "version 5")
            #expect(try git("--git-dir=\(remotePath)", "rev-list", "--count", "main") == "6")
            await archive.close()
            try runProcess("/usr/bin/git", ["--git-dir=\(path)", "fsck", "--full", "--strict"])
            try runProcess("/usr/bin/git", ["--git-dir=\(remotePath)", "fsck", "--full", "--strict"])
        }
    }
}
