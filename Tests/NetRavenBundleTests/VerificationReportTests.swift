import NetRavenCore
import Testing

/// The pure comparison `verify` (and later `verify --s3`) builds on.
@Suite struct VerificationReportTests {
    typealias Digest = VerificationReport.FileDigest

    @Test func identicalSetsAreClean() {
        let files = [Digest(path: "a.cfg", size: 3, sha256: "aa"), Digest(path: "b.cfg", size: 0, sha256: "bb")]
        let report = VerificationReport(expected: files, observed: files.reversed())
        #expect(report.isClean)
        #expect(report.checked == 2)
    }

    @Test func everyDifferenceIsOneLineSortedByPath() {
        let expected = [
            Digest(path: "c.cfg", size: 3, sha256: "cc"),
            Digest(path: "a.cfg", size: 3, sha256: "aa"),
            Digest(path: "b.cfg", size: 4, sha256: "bb"),
            Digest(path: "d.cfg", size: 1, sha256: "dd"),
        ]
        let observed = [
            Digest(path: "a.cfg", size: 3, sha256: "AA"),  // case of hex digits does not matter
            Digest(path: "b.cfg", size: 5, sha256: "b2"),
            Digest(path: "e.cfg", size: 1, sha256: "ee"),
            Digest(path: "d.cfg", size: 1, sha256: "dd"),
            Digest(path: "d.cfg", size: 1, sha256: "dd"),
        ]
        var report = VerificationReport(expected: expected, observed: observed)
        report.record(.init(kind: .unknownCommit, path: "a.cfg", detail: "commit 1234 is not in the Git archive"))
        #expect(report.mismatches.map(\.description) == [
            "a.cfg: unknown_commit: commit 1234 is not in the Git archive",
            "b.cfg: size: size 5 bytes, expected 4",
            "b.cfg: sha256: sha256 b2, expected bb",
            "c.cfg: missing: listed but not present",
            "d.cfg: duplicate: found more than once",
            "e.cfg: unlisted: present but not listed",
        ])
        #expect(!report.isClean)
    }

    @Test(arguments: [
        ([Digest](), [Digest(path: "x", size: 1, sha256: "x")], VerificationReport.Kind.unlisted),
        ([Digest(path: "x", size: 1, sha256: "x")], [], .missing),
        ([Digest(path: "x", size: 1, sha256: "x"), Digest(path: "x", size: 1, sha256: "x")],
         [Digest(path: "x", size: 1, sha256: "x")], .duplicate),
    ])
    func singleKinds(expected: [Digest], observed: [Digest], kind: VerificationReport.Kind) {
        let report = VerificationReport(expected: expected, observed: observed)
        #expect(report.mismatches.map(\.kind) == [kind])
    }
}
