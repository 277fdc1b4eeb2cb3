import Foundation
import NetRavenBundle
import NetRavenCore
import NetRavenGit
import NetRavenTestSupport
import Testing

/// Bundles built from a real Git archive, read by GNU tar and sha256sum, and verified against manifest and Git.
@Suite struct ArchiveBundleTests {
    static let r1 = "hostname r1\ninterface Loopback0\n ip address 192.0.2.1 255.255.255.255\n"
    static let r2 = "hostname r2\n"
    static let r2Changed = "hostname r2\nlogging host 192.0.2.99\n"
    static let createdAt = Date(timeIntervalSince1970: 1_763_770_500)  // 2025-11-22T00:15:00Z

    static let sources = [
        BundleSource(device: "r2", configPath: "lab/r2.cfg", factsPath: "lab/r2.facts.json"),
        BundleSource(device: "r1", configPath: "lab/r1.cfg", factsPath: "lab/r1.facts.json"),
        BundleSource(device: "r3", configPath: "lab/r3.cfg", factsPath: nil),
    ]

    static func signature(at seconds: TimeInterval) -> ArchiveSignature {
        ArchiveSignature(name: "NetRaven", email: "nr@example.net", date: Date(timeIntervalSince1970: seconds))
    }

    /// An archive where r1 last changed in the first commit and r2 in the second; r3 was never captured.
    func withHistory(_ body: (ConfigArchive, TemporaryDirectory, [ArchiveCommit]) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        let archive = try ConfigArchive(path: directory.path + "/archive.git")
        do {
            let first = Self.signature(at: 1_700_000_000)
            let second = Self.signature(at: 1_700_086_400)
            _ = try await archive.commit(
                files: [
                    ArchiveFile(path: "lab/r1.cfg", contents: Self.r1),
                    ArchiveFile(
                        path: "lab/r1.facts.json",
                        contents: "{\n  \"device\": \"r1\",\n  \"platform\": \"cisco_ios\",\n"
                            + "  \"serial\": \"FTX1234\",\n  \"os_version\": \"15.2(4)M\"\n}\n"),
                    ArchiveFile(path: "lab/r2.cfg", contents: Self.r2),
                ],
                message: "first", author: first, committer: first)
            _ = try await archive.commit(
                files: [ArchiveFile(path: "lab/r2.cfg", contents: Self.r2Changed)], message: "second", author: second,
                committer: second)
            let commits = try await archive.history(path: "lab/r2.cfg")
            try await body(archive, directory, commits.reversed())
            await archive.close()
        } catch {
            await archive.close()
            throw error
        }
    }

    @Test func manifestNamesTheLastChangeAndFacts() async throws {
        try await withHistory { archive, _, commits in
            let bundle = try await ArchiveBundle.build(
                from: archive, sources: Self.sources, createdAt: Self.createdAt, netravenVersion: "9.9.9")
            #expect(bundle.fileName == "netraven-archive-20251122T001500Z.tar.gz")
            #expect(bundle.missingDevices == ["r3"])
            let manifest = bundle.manifest
            #expect(manifest.archiveHead == commits[1].id)
            #expect(manifest.netravenVersion == "9.9.9")
            #expect(manifest.entries.map(\.path) == ["lab/r1.cfg", "lab/r2.cfg"])
            #expect(manifest.entries[0].commit == commits[0].id, "r1 last changed in the first commit")
            #expect(manifest.entries[1].commit == commits[1].id)
            #expect(
                manifest.entries[0].facts == ["platform": "cisco_ios", "serial": "FTX1234", "os_version": "15.2(4)M"])
            #expect(manifest.entries[1].facts.isEmpty)
            #expect(manifest.entries[1].size == Self.r2Changed.utf8.count)
            #expect(manifest.entries[0].committedAt == Date(timeIntervalSince1970: 1_700_000_000))

            let json = String(decoding: try manifest.encoded(), as: UTF8.self)
            #expect(json.contains("\"created_at\" : \"2025-11-22T00:15:00Z\""), "\(json)")
            #expect(json.contains("\"archive_head\""))
            #expect(try BundleManifest.decode(try manifest.encoded()) == manifest)
        }
    }

    @Test func gnuTarAndSha256sumAgreeWithTheManifest() async throws {
        try await withHistory { archive, directory, _ in
            let bundle = try await ArchiveBundle.build(
                from: archive, sources: Self.sources, createdAt: Self.createdAt, netravenVersion: "9.9.9")
            let written = try await bundle.write(toDirectory: directory.path + "/out")
            #expect(written.path == directory.path + "/out/netraven-archive-20251122T001500Z.tar.gz")
            #expect(written.entries == 2)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path + "/out")
            #expect(leftovers == [written.name], "no temporary file left: \(leftovers)")

            let sum = try tool("sha256sum", [written.path]).stdout
            #expect(sum.hasPrefix(written.sha256 + " "))
            #expect(try FileManager.default.attributesOfItem(atPath: written.path)[.size] as? Int == written.size)
            try tool("gzip", ["-t", written.path])
            let listing = try tool("tar", ["-tzf", written.path]).stdout
            #expect(listing == "manifest.json\nlab/r1.cfg\nlab/r2.cfg\n")
            let verbose = try tool("tar", ["--full-time", "--utc", "-tvzf", written.path]).stdout
            #expect(verbose.contains("2023-11-14 22:13:20 lab/r1.cfg"), "mtime is the commit time: \(verbose)")

            let out = directory.path + "/extract"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try tool("tar", ["-xzf", written.path, "-C", out])
            for entry in bundle.manifest.entries {
                let line = try tool("sha256sum", [entry.path], in: out).stdout
                #expect(line == "\(entry.sha256)  \(entry.path)\n")
            }
            let extractedManifest = try BundleManifest.decode(
                try Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json")))
            #expect(extractedManifest == bundle.manifest)

            let again = await #expect(throws: BundleError.self) {
                try await bundle.write(toDirectory: directory.path + "/out")
            }
            #expect(again?.code == .io, "an existing bundle is never overwritten")
            #expect(try await bundle.data() == Data(contentsOf: URL(fileURLWithPath: written.path)))
        }
    }

    @Test func aCleanBundleVerifies() async throws {
        try await withHistory { archive, directory, _ in
            let bundle = try await ArchiveBundle.build(
                from: archive, sources: Self.sources, createdAt: Self.createdAt, netravenVersion: "9.9.9")
            let written = try await bundle.write(toDirectory: directory.path)
            let report = try await BundleVerifier.verify(bundleAt: written.path, against: archive)
            #expect(report.isClean, "\(report.mismatches)")
            #expect(report.checked == 2)
        }
    }

    /// Rebuilds a bundle with the original manifest but `edit`ed members, as someone tampering with it would.
    func rebuild(
        _ bundle: ArchiveBundle, at path: String, manifest: BundleManifest? = nil,
        edit: ([String: Data]) -> [String: Data]
    ) async throws {
        let original = try await bundle.data()
        let gzip = try GzipReader(source: chunkedSource(original, chunk: 4096))
        var members: [String: Data] = [:]
        for member in try TarReader(source: { try gzip.read() }).readAll() {
            members[member.header.path] = member.contents
        }
        members[BundleManifest.memberName] = nil
        var output = Data()
        let writer = try GzipWriter { output.append($0) }
        let tar = TarWriter { try writer.write($0) }
        try tar.append(
            TarHeader(path: BundleManifest.memberName, size: 0, modificationTime: 0),
            contents: try (manifest ?? bundle.manifest).encoded())
        for (path, data) in edit(members).sorted(by: { $0.key < $1.key }) {
            try tar.append(TarHeader(path: path, size: 0, modificationTime: 0), contents: data)
        }
        try tar.finish()
        try writer.finish()
        try output.write(to: URL(fileURLWithPath: path))
    }

    @Test func everyKindOfTamperingIsReported() async throws {
        try await withHistory { archive, directory, _ in
            let bundle = try await ArchiveBundle.build(
                from: archive, sources: Self.sources, createdAt: Self.createdAt, netravenVersion: "9.9.9")

            let changedByte = directory.path + "/changed.tar.gz"
            try await rebuild(bundle, at: changedByte) { members in
                var members = members
                var data = members["lab/r1.cfg"]!
                data[0] = UInt8(ascii: "H")
                members["lab/r1.cfg"] = data
                return members
            }
            let changed = try await BundleVerifier.verify(bundleAt: changedByte, against: archive)
            #expect(changed.mismatches.map(\.kind) == [.sha256], "\(changed.mismatches)")
            #expect(changed.mismatches.first?.path == "lab/r1.cfg")

            let missingAndExtra = directory.path + "/missing.tar.gz"
            try await rebuild(bundle, at: missingAndExtra) { members in
                var members = members
                members["lab/r2.cfg"] = nil
                members["lab/r9.cfg"] = Data("hostname r9\n".utf8)
                members["lab/r1.cfg"]!.append(UInt8(ascii: "\n"))
                return members
            }
            let second = try await BundleVerifier.verify(bundleAt: missingAndExtra, against: archive)
            #expect(second.mismatches.map(\.description) == [
                "lab/r1.cfg: size: size \(Self.r1.utf8.count + 1) bytes, expected \(Self.r1.utf8.count)",
                second.mismatches[1].description,
                "lab/r2.cfg: missing: listed but not present",
                "lab/r9.cfg: unlisted: present but not listed",
            ])
            #expect(second.mismatches[1].kind == .sha256)

            var forged = bundle.manifest
            forged.entries[1].commit = String(repeating: "ab", count: 20)
            let unknownCommit = directory.path + "/unknown.tar.gz"
            try await rebuild(bundle, at: unknownCommit, manifest: forged) { $0 }
            let third = try await BundleVerifier.verify(bundleAt: unknownCommit, against: archive)
            #expect(third.mismatches.map(\.kind) == [.unknownCommit], "\(third.mismatches)")
            #expect(third.mismatches.first?.path == "lab/r2.cfg")
            #expect(third.mismatches.first?.detail.contains("abababab") == true)
            let manifestOnly = try await BundleVerifier.verify(bundleAt: unknownCommit, against: nil)
            #expect(manifestOnly.isClean, "without Git only the manifest is checked")
        }
    }

    @Test func gitDisagreeingWithTheManifestIsReported() async throws {
        try await withHistory { archive, directory, commits in
            let bundle = try await ArchiveBundle.build(
                from: archive, sources: Self.sources, createdAt: Self.createdAt, netravenVersion: "9.9.9")
            // The manifest (and the member) claim r2's new text came from the first commit, which had the old one.
            var forged = bundle.manifest
            forged.entries[1].commit = commits[0].id
            forged.entries.append(BundleManifest.Entry(
                path: "lab/r7.cfg", device: "r7", size: 3, sha256: SHA256Hex.of("r7\n"), commit: commits[0].id,
                committedAt: Date(timeIntervalSince1970: 0), facts: [:]))
            let path = directory.path + "/forged.tar.gz"
            try await rebuild(bundle, at: path, manifest: forged) { members in
                var members = members
                members["lab/r7.cfg"] = Data("r7\n".utf8)
                return members
            }
            let report = try await BundleVerifier.verify(bundleAt: path, against: archive)
            #expect(report.mismatches.map(\.kind) == [.gitMismatch, .notInGit], "\(report.mismatches)")
            #expect(report.mismatches.map(\.path) == ["lab/r2.cfg", "lab/r7.cfg"])
        }
    }

    @Test func damagedBundlesAreReportedNotThrown() async throws {
        try await withHistory { archive, directory, _ in
            let bundle = try await ArchiveBundle.build(
                from: archive, sources: Self.sources, createdAt: Self.createdAt, netravenVersion: "9.9.9")
            let data = try await bundle.data()
            let truncated = directory.path + "/truncated.tar.gz"
            try data.prefix(data.count - 20).write(to: URL(fileURLWithPath: truncated))
            let report = try await BundleVerifier.verify(bundleAt: truncated, against: archive)
            #expect(
                report.mismatches.contains { $0.kind == .unreadable && $0.detail.contains("truncated") },
                "\(report.mismatches)")

            let notABundle = directory.path + "/plain.txt"
            try Data("hello\n".utf8).write(to: URL(fileURLWithPath: notABundle))
            let plain = try await BundleVerifier.verify(bundleAt: notABundle, against: nil)
            #expect(!plain.isClean)
            #expect(plain.mismatches.contains { $0.detail.contains("no readable manifest") })
        }
    }
}

enum SHA256Hex {
    static func of(_ text: String) -> String {
        let directory = try? TemporaryDirectory()
        let path = (directory?.path ?? "/tmp") + "/text"
        try? Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let line = (try? tool("sha256sum", [path]).stdout) ?? ""
        return String(line.prefix(64))
    }
}
