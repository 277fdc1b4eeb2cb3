import Foundation
public import NetRavenCore
public import NetRavenGit

/// What reading a bundle found: its manifest (if readable), a digest per file member, and reading problems.
public struct BundleInspection: Sendable {
    /// The manifest, when `manifest.json` was present and valid.
    public var manifest: BundleManifest?
    /// Path, size and SHA-256 of every file member except the manifest, in bundle order.
    public var members: [VerificationReport.FileDigest]
    /// Problems reading the bundle itself (damaged gzip, truncated tar, manifest missing or not first).
    public var problems: [VerificationReport.Mismatch]
}

/// Checks a bundle against its manifest and, optionally, against the Git archive it was made from.
public enum BundleVerifier {
    /// Reads every member of the bundle at `path` (blocking; on a dedicated thread in `verify`). Reading stops
    /// at the first damage, which becomes a problem rather than an error, so everything before it is still checked.
    public static func inspect(
        bundleAt path: String, maximumMemberSize: Int = TarReader.defaultMaximumMemberSize
    ) -> BundleInspection {
        var inspection = BundleInspection(manifest: nil, members: [], problems: [])
        var sawManifest = false
        do {
            let reader = try TarReader(gzipFileAt: path, maximumMemberSize: maximumMemberSize)
            var first = true
            while let member = try reader.next() {
                defer { first = false }
                guard member.header.kind == .file else { continue }
                if member.header.path == BundleManifest.memberName {
                    sawManifest = true
                    if !first {
                        inspection.problems.append(VerificationReport.Mismatch(
                            kind: .unreadable, path: BundleManifest.memberName,
                            detail: "the manifest is not the bundle's first member"))
                    }
                    do {
                        inspection.manifest = try BundleManifest.decode(member.contents)
                    } catch {
                        inspection.problems.append(VerificationReport.Mismatch(
                            kind: .unreadable, path: BundleManifest.memberName, detail: "\(error)"))
                    }
                    continue
                }
                inspection.members.append(VerificationReport.FileDigest(
                    path: member.header.path, size: member.contents.count,
                    sha256: SHA256Digest.hex(member.contents)))
            }
        } catch {
            inspection.problems.append(VerificationReport.Mismatch(kind: .unreadable, path: "", detail: "\(error)"))
        }
        if !sawManifest {
            inspection.problems.append(VerificationReport.Mismatch(
                kind: .unreadable, path: BundleManifest.memberName, detail: "the bundle has no readable manifest"))
        }
        return inspection
    }

    /// Every mismatch between the bundle at `path`, its manifest and (when `archive` is given) the Git archive:
    /// each manifest entry's file at its commit must exist with the same SHA-256.
    public static func verify(bundleAt path: String, against archive: ConfigArchive?) async throws
        -> VerificationReport
    {
        let inspection = try await onDedicatedThread { inspect(bundleAt: path) }
        let entries = inspection.manifest?.entries ?? []
        var report = VerificationReport(
            expected: entries.map { .init(path: $0.path, size: $0.size, sha256: $0.sha256) },
            observed: inspection.members)
        for problem in inspection.problems { report.record(problem) }
        if let archive {
            for finding in try await gitFindings(entries, in: archive) { report.record(finding) }
        }
        return report
    }

    /// Git's side: the manifest's commit must be known and hold the file with the manifest's digest.
    public static func gitFindings(_ entries: [BundleManifest.Entry], in archive: ConfigArchive) async throws
        -> [VerificationReport.Mismatch]
    {
        var findings: [VerificationReport.Mismatch] = []
        for entry in entries {
            guard entry.commit.count == 40, entry.commit.allSatisfy(\.isHexDigit) else {
                findings.append(.init(
                    kind: .unknownCommit, path: entry.path, expected: "a full commit id", observed: entry.commit,
                    detail: "'\(entry.commit)' is not a full commit id"))
                continue
            }
            let data: Data?
            do {
                data = try await archive.readData(path: entry.path, revision: entry.commit)
            } catch let error as ArchiveError where error.code == .invalidRevision {
                findings.append(.init(
                    kind: .unknownCommit, path: entry.path, observed: entry.commit,
                    detail: "commit \(entry.commit) is not in the Git archive"))
                continue
            } catch let error as ArchiveError where error.code == .invalidPath {
                findings.append(.init(kind: .notInGit, path: entry.path, detail: "not a valid archive path"))
                continue
            }
            guard let data else {
                findings.append(.init(
                    kind: .notInGit, path: entry.path, observed: entry.commit,
                    detail: "the Git archive has no such file at commit \(entry.commit)"))
                continue
            }
            let digest = SHA256Digest.hex(data)
            if digest != entry.sha256.lowercased() {
                findings.append(.init(
                    kind: .gitMismatch, path: entry.path, expected: digest, observed: entry.sha256,
                    detail: "manifest sha256 \(entry.sha256), Git has \(digest) at commit \(entry.commit)"))
            }
        }
        return findings
    }
}
