import Foundation
import NetRavenCore
import NetRavenTestSupport
import Testing

/// Retention decisions with fixed dates, the S3 key layout and bundle names.
@Suite struct RetentionPlanTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func item(_ key: String, _ group: String, daysOld: Double) -> RetentionPlan.Item {
        RetentionPlan.Item(key: key, group: group, time: now.addingTimeInterval(-daysOld * 86_400))
    }

    @Test func oldCopiesGoButTheNewestStayPerGroup() {
        let items = [
            Self.item("r1-a", "core/r1", daysOld: 100), Self.item("r1-b", "core/r1", daysOld: 50),
            Self.item("r1-c", "core/r1", daysOld: 31), Self.item("r1-d", "core/r1", daysOld: 2),
            Self.item("r2-a", "core/r2", daysOld: 400), Self.item("r2-b", "core/r2", daysOld: 300),
        ]
        let plan = RetentionPlan(items: items, policy: RetentionPolicy(keepDays: 30, keepMinimum: 2), now: Self.now)
        #expect(plan.delete.map(\.key) == ["r1-a", "r1-b"])
        #expect(plan.keep.map(\.key) == ["r1-c", "r1-d", "r2-a", "r2-b"])
    }

    @Test func theCutoffItselfIsKept() {
        let items = [
            Self.item("old", "g", daysOld: 30.0001), Self.item("edge", "g", daysOld: 30),
            Self.item("new", "g", daysOld: 0),
        ]
        let plan = RetentionPlan(items: items, policy: RetentionPolicy(keepDays: 30, keepMinimum: 1), now: Self.now)
        #expect(plan.delete.map(\.key) == ["old"])
    }

    @Test(arguments: [0, 1, 3, 10])
    func theLastCopyNeverGoes(keepMinimum: Int) {
        let items = (0..<5).map { Self.item("k\($0)", "g", daysOld: Double(1000 + $0)) }
        let plan = RetentionPlan(
            items: items, policy: RetentionPolicy(keepDays: 1, keepMinimum: keepMinimum), now: Self.now)
        let kept = max(1, min(keepMinimum, 5))
        #expect(plan.keep.count == kept)
        #expect(plan.keep.map(\.key) == (0..<kept).reversed().map { "k\($0)" })
        #expect(plan.delete.count == 5 - kept)
    }

    @Test func emptyInputPlansNothing() {
        let plan = RetentionPlan(items: [], policy: RetentionPolicy(keepDays: 1, keepMinimum: 1), now: Self.now)
        #expect(plan.delete.isEmpty && plan.keep.isEmpty)
    }

    @Test func snapshotKeysRoundTrip() throws {
        let layout = S3ObjectLayout(prefix: "/netraven/prod/")
        let key = layout.snapshotKey(devicePath: "core/r1", committedAt: Self.now, commit: "0123456789abcdef")
        #expect(key == "netraven/prod/core/r1/20260921T141320Z_0123456.cfg")
        let parsed = try #require(layout.parseSnapshot(key: key))
        #expect(parsed.devicePath == "core/r1")
        #expect(parsed.committedAt == Self.now)
        #expect(parsed.shortCommit == "0123456")
        #expect(layout.latestKey(devicePath: "core/r1") == "netraven/prod/core/r1/latest.cfg")
        #expect(S3ObjectLayout(prefix: "").latestKey(devicePath: "r1") == "r1/latest.cfg")
        #expect(S3ObjectLayout.devicePath(forArchivePath: "core/r1.cfg") == "core/r1")
    }

    @Test(arguments: [
        "netraven/prod/core/r1/latest.cfg", "netraven/prod/core/r1/20261321T141320Z_0123456.cfg",
        "netraven/prod/core/r1/20260921T141320Z_xyz.cfg", "other/core/r1/20260921T141320Z_0123456.cfg",
        "netraven/prod/20260921T141320Z_0123456.cfg", "netraven/prod/archives/netraven-archive-20260921T141320Z.tar.gz",
    ])
    func foreignKeysAreNotSnapshots(key: String) {
        #expect(S3ObjectLayout(prefix: "netraven/prod").parseSnapshot(key: key) == nil)
    }

    @Test func bundleNames() {
        #expect(ArchiveBundleName.fileName(at: Self.now) == "netraven-archive-20260921T141320Z.tar.gz")
        #expect(ArchiveBundleName.date(of: "netraven-archive-20260921T141320Z.tar.gz") == Self.now)
        #expect(ArchiveBundleName.date(of: "netraven-archive-20260921T141320Z.zip") == nil)
        #expect(ArchiveBundleName.date(of: "netraven-archive-2026092T141320Z.tar.gz") == nil)
    }

    @Test func localBundlesArePrunedAndOtherFilesLeftAlone() throws {
        let directory = try TemporaryDirectory()
        for age in [1.0, 20, 40, 60] {
            try directory.write(ArchiveBundleName.fileName(at: Self.now.addingTimeInterval(-age * 86_400)), "bundle")
        }
        try directory.write("notes.txt", "keep")
        let retention = LocalArchiveRetention(directory: directory.path)
        let plan = try retention.plan(policy: RetentionPolicy(keepDays: 10, keepMinimum: 2), now: Self.now)
        #expect(plan.delete.count == 2)
        let deleted = try retention.apply(plan)
        #expect(deleted == plan.delete)
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(
            left == [
                "netraven-archive-\(UTCStamp.string(from: Self.now.addingTimeInterval(-20 * 86_400))).tar.gz",
                "netraven-archive-\(UTCStamp.string(from: Self.now.addingTimeInterval(-1 * 86_400))).tar.gz",
                "notes.txt",
            ])
    }
}
