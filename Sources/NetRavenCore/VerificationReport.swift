/// The outcome of checking copies of archived files against what they should be: every mismatch, one per problem.
///
/// Built from two sets of (path, size, sha256): the expected ones (a bundle's manifest, or Git) and the observed
/// ones (the bundle's members, or the S3 objects). More findings, such as a commit Git does not know, are added
/// with `record`. A pure value: `netraven verify` prints it, and `verify --s3` can build one the same way.
public struct VerificationReport: Sendable, Equatable, Codable {
    /// One file's identity as a verifier sees it.
    public struct FileDigest: Sendable, Hashable, Codable {
        /// Relative path (`lab/r1.cfg`).
        public var path: String
        /// Length in bytes.
        public var size: Int
        /// Lowercase hexadecimal SHA-256 of the contents.
        public var sha256: String

        /// Creates a digest.
        public init(path: String, size: Int, sha256: String) {
            self.path = path
            self.size = size
            self.sha256 = sha256
        }
    }

    /// What kind of mismatch was found.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Expected, but not among the observed files.
        case missing
        /// Observed, but not expected (not in the manifest).
        case unlisted
        /// Observed with a different size.
        case size
        /// Observed with a different SHA-256.
        case sha256
        /// The same path appears more than once.
        case duplicate
        /// The commit the file should come from is not in the Git archive.
        case unknownCommit = "unknown_commit"
        /// The Git archive has no such file at that commit.
        case notInGit = "not_in_git"
        /// The Git archive's file at that commit has a different SHA-256.
        case gitMismatch = "git_mismatch"
        /// The copy could not be read at all (damaged, truncated, no manifest).
        case unreadable
    }

    /// One problem with one path.
    public struct Mismatch: Sendable, Equatable, Codable, CustomStringConvertible {
        /// What is wrong.
        public var kind: Kind
        /// The file concerned (empty when the whole copy is unreadable).
        public var path: String
        /// What was expected, in words or digits.
        public var expected: String?
        /// What was found instead.
        public var observed: String?
        /// Why, for humans.
        public var detail: String

        /// Creates a mismatch.
        public init(kind: Kind, path: String, expected: String? = nil, observed: String? = nil, detail: String) {
            self.kind = kind
            self.path = path
            self.expected = expected
            self.observed = observed
            self.detail = detail
        }

        /// `path: kind: detail`, the one-line form `netraven verify` prints.
        public var description: String {
            path.isEmpty ? "\(kind.rawValue): \(detail)" : "\(path): \(kind.rawValue): \(detail)"
        }
    }

    /// How many expected files were compared.
    public var checked: Int
    /// Every problem found, sorted by path then kind.
    public private(set) var mismatches: [Mismatch]

    /// True when nothing is wrong.
    public var isClean: Bool { mismatches.isEmpty }

    /// Compares `observed` with `expected` by path: missing, unlisted, size, sha256 and duplicate paths.
    public init(expected: [FileDigest], observed: [FileDigest]) {
        checked = expected.count
        mismatches = []
        let expectedByPath = Self.index(expected, side: "expected", into: &mismatches)
        let observedByPath = Self.index(observed, side: "found", into: &mismatches)
        for (path, want) in expectedByPath {
            guard let have = observedByPath[path] else {
                mismatches.append(Mismatch(kind: .missing, path: path, detail: "listed but not present"))
                continue
            }
            if want.size != have.size {
                mismatches.append(Mismatch(
                    kind: .size, path: path, expected: String(want.size), observed: String(have.size),
                    detail: "size \(have.size) bytes, expected \(want.size)"))
            }
            if want.sha256.lowercased() != have.sha256.lowercased() {
                mismatches.append(Mismatch(
                    kind: .sha256, path: path, expected: want.sha256, observed: have.sha256,
                    detail: "sha256 \(have.sha256), expected \(want.sha256)"))
            }
        }
        for path in observedByPath.keys where expectedByPath[path] == nil {
            mismatches.append(Mismatch(kind: .unlisted, path: path, detail: "present but not listed"))
        }
        sort()
    }

    /// Adds a finding that the set comparison cannot see (Git checks, unreadable input).
    public mutating func record(_ mismatch: Mismatch) {
        mismatches.append(mismatch)
        sort()
    }

    private mutating func sort() {
        let order = Dictionary(uniqueKeysWithValues: Kind.allCases.enumerated().map { ($1, $0) })
        mismatches.sort { ($0.path, order[$0.kind] ?? 0) < ($1.path, order[$1.kind] ?? 0) }
    }

    private static func index(
        _ files: [FileDigest], side: String, into mismatches: inout [Mismatch]
    ) -> [String: FileDigest] {
        var byPath: [String: FileDigest] = [:]
        var reported: Set<String> = []
        for file in files {
            if byPath[file.path] != nil {
                if reported.insert(file.path).inserted {
                    mismatches.append(Mismatch(kind: .duplicate, path: file.path, detail: "\(side) more than once"))
                }
                continue
            }
            byPath[file.path] = file
        }
        return byPath
    }
}
