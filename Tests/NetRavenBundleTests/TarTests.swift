import Foundation
import NetRavenBundle
import NetRavenTestSupport
import Testing

/// tar in Swift: round trips, GNU tar and Python's tarfile as peers both ways, and bad archives.
@Suite struct TarTests {
    static let longPath = "emea/" + String(repeating: "very-long-site-name-", count: 6) + "/core/"
        + String(repeating: "r", count: 90) + ".cfg"

    /// Members covering the edges: long paths (pax), empty file, directory, non-ASCII, block-sized contents.
    static func sampleMembers() -> [(TarHeader, Data)] {
        [
            (TarHeader(path: "lab", kind: .directory, size: 0, modificationTime: 1_700_000_000), Data()),
            (TarHeader(path: "lab/r1.cfg", size: 0, modificationTime: 1_700_000_001), Data("hostname r1\n".utf8)),
            (TarHeader(path: "lab/empty.cfg", size: 0, modificationTime: 1_700_000_002), Data()),
            (
                TarHeader(path: "lab/exact.cfg", size: 0, modificationTime: 1_700_000_003),
                pseudoRandomBytes(1024, seed: 9)
            ),
            (TarHeader(path: longPath, size: 0, modificationTime: 1_700_000_004), Data("hostname long\n".utf8)),
            (TarHeader(path: "zürich/sw1.cfg", size: 0, modificationTime: 1_700_000_005), Data("hostname zh\n".utf8)),
        ]
    }

    func tarGzip(_ members: [(TarHeader, Data)]) throws -> Data {
        var output = Data()
        let gzip = try GzipWriter { output.append($0) }
        let tar = TarWriter { try gzip.write($0) }
        for (header, contents) in members { try tar.append(header, contents: contents) }
        try tar.finish()
        try gzip.finish()
        return output
    }

    @Test func roundTripsThroughOurReader() throws {
        #expect(Self.longPath.utf8.count > 200)
        let bytes = try tarGzip(Self.sampleMembers())
        let gzip = try GzipReader(source: chunkedSource(bytes, chunk: 333))
        let members = try TarReader { try gzip.read() }.readAll()
        #expect(members.map(\.header.path) == Self.sampleMembers().map(\.0.path))
        for (member, (header, contents)) in zip(members, Self.sampleMembers()) {
            #expect(member.contents == contents, "\(header.path)")
            #expect(member.header.kind == header.kind)
            #expect(member.header.modificationTime == header.modificationTime)
            #expect(member.header.size == contents.count)
        }
    }

    @Test func gnuTarListsAndExtractsOurs() throws {
        let directory = try TemporaryDirectory()
        let archive = directory.path + "/ours.tar.gz"
        try tarGzip(Self.sampleMembers()).write(to: URL(fileURLWithPath: archive))
        let listing = try tool("tar", ["-tzf", archive]).stdout.split(separator: "\n").map(String.init)
        #expect(listing == ["lab/", "lab/r1.cfg", "lab/empty.cfg", "lab/exact.cfg", Self.longPath, "zürich/sw1.cfg"])
        let verbose = try tool("tar", ["--full-time", "-tvzf", archive]).stdout
        #expect(verbose.contains("2023-11-14"), "mtime kept: \(verbose)")

        try FileManager.default.createDirectory(atPath: directory.path + "/out", withIntermediateDirectories: true)
        let extracted = try tool("tar", ["-xzf", archive, "-C", directory.path + "/out"])
        #expect(extracted.stderr.isEmpty, "\(extracted.stderr)")
        for (header, contents) in Self.sampleMembers() where header.kind == .file {
            let data = try Data(contentsOf: URL(fileURLWithPath: directory.path + "/out/" + header.path))
            #expect(data == contents, "\(header.path)")
        }
    }

    @Test func readsWhatGNUTarWrites() throws {
        let directory = try TemporaryDirectory()
        let tree = directory.path + "/tree"
        let files: [String: Data] = [
            "lab/r1.cfg": Data("hostname r1\n".utf8),
            "lab/empty.cfg": Data(),
            Self.longPath: pseudoRandomBytes(70_000, seed: 5),
        ]
        for (path, data) in files {
            let url = URL(fileURLWithPath: tree + "/" + path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        for format in ["gnu", "pax", "ustar-short"] {
            let archive = directory.path + "/\(format).tar.gz"
            let sources = format == "ustar-short" ? ["lab"] : ["."]
            let formatName = format == "ustar-short" ? "ustar" : format
            try tool("tar", ["--format=\(formatName)", "-czf", archive, "-C", tree] + sources)
            let members = try TarReader(gzipFileAt: archive).readAll()
            let read = Dictionary(
                members.filter { $0.header.kind == .file }.map { ($0.header.path, $0.contents) },
                uniquingKeysWith: { first, _ in first })
            let expected = format == "ustar-short" ? files.filter { $0.key.hasPrefix("lab/") } : files
            #expect(read == expected, "\(format): \(read.keys.sorted())")
            #expect(members.contains { $0.header.kind == .directory && $0.header.path == "lab" }, "\(format)")
        }
    }

    @Test func paxRecordLengthCountsItsOwnDigits() throws {
        // Values whose record length crosses 10 and 100 and 1000 (where the length's own digit count grows).
        for valueLength in [0, 1, 2, 3, 4, 85, 86, 87, 88, 89, 90, 985, 990, 995, 1000] {
            let value = String(repeating: "a", count: valueLength)
            let header = TarHeader(path: "d/" + value + "x", size: 0, modificationTime: 0)
            let bytes = try tarGzip([(header, Data("x".utf8))])
            let gzip = try GzipReader(source: chunkedSource(bytes, chunk: 4096))
            let members = try TarReader { try gzip.read() }.readAll()
            #expect(members.first?.header.path == "d/" + value + "x", "value length \(valueLength)")
        }
    }

    @Test func symlinksAndOversizedMembersAreRefused() throws {
        let directory = try TemporaryDirectory()
        try directory.write("tree/r1.cfg", "hostname r1\n")
        try FileManager.default.createSymbolicLink(
            atPath: directory.path + "/tree/link.cfg", withDestinationPath: "r1.cfg")
        let withLink = directory.path + "/link.tar.gz"
        try tool("tar", ["-czf", withLink, "-C", directory.path + "/tree", "r1.cfg", "link.cfg"])
        let reader = try TarReader(gzipFileAt: withLink)
        #expect(try reader.next()?.header.path == "r1.cfg")
        let linkError = #expect(throws: BundleError.self) { try reader.next() }
        #expect(linkError?.code == .unsupportedMember)
        #expect(linkError?.message.contains("link.cfg") == true, "\(String(describing: linkError))")

        let big = try tarGzip([(TarHeader(path: "big.cfg", size: 0, modificationTime: 0), Data(count: 10_000))])
        let gzip = try GzipReader(source: chunkedSource(big, chunk: 4096))
        let capped = TarReader(maximumMemberSize: 4_096) { try gzip.read() }
        let sizeError = #expect(throws: BundleError.self) { try capped.next() }
        #expect(sizeError?.code == .memberTooLarge)
        #expect(sizeError?.message.contains("big.cfg") == true)
    }

    @Test func unsafePathsAreRefusedBothWays() throws {
        let writer = TarWriter { _ in }
        for path in ["/etc/passwd", "../x.cfg", "a/../../b", "", "a//b"] {
            let error = #expect(throws: BundleError.self) {
                try writer.append(TarHeader(path: path, size: 0, modificationTime: 0), contents: Data())
            }
            #expect(error?.code == .invalidPath, "\(path)")
        }
        // Python's tarfile writes what our writer refuses to.
        let directory = try TemporaryDirectory()
        let archive = directory.path + "/evil.tar.gz"
        try tool("python3", [
            "-c",
            "import tarfile, io, sys\n"
                + "t = tarfile.open(sys.argv[1], 'w:gz')\n"
                + "i = tarfile.TarInfo('../../etc/evil.cfg'); i.size = 2\n"
                + "t.addfile(i, io.BytesIO(b'x\\n')); t.close()\n",
            archive,
        ])
        let error = #expect(throws: BundleError.self) { try TarReader(gzipFileAt: archive).readAll() }
        #expect(error?.code == .invalidPath)
    }

    @Test func truncatedAndDamagedArchivesAreClearErrors() throws {
        let tarBytes = try GzipReader(source: chunkedSource(try tarGzip(Self.sampleMembers()), chunk: 4096)).readAll()
        // Cut inside a member's contents, inside a header, and before the end marker.
        for cut in [512 + 512 + 100, 512 + 512 + 512 + 200, tarBytes.count - 1024] {
            let error = #expect(throws: BundleError.self) {
                try TarReader(source: chunkedSource(tarBytes.prefix(cut), chunk: 700)).readAll()
            }
            #expect(error?.code == .truncated, "cut at \(cut): \(String(describing: error))")
        }
        var damaged = tarBytes
        damaged[512 + 3] ^= 0x20  // a byte of the second header's name: its checksum no longer matches
        let error = #expect(throws: BundleError.self) {
            try TarReader(source: chunkedSource(damaged, chunk: 512)).readAll()
        }
        #expect(error?.code == .corruptArchive)
        #expect(error?.message.contains("checksum") == true)
    }
}
