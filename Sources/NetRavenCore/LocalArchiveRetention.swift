public import Foundation

/// Retention for archive bundles in a local directory (`netraven-archive-YYYYMMDDTHHMMSSZ.tar.gz`): one group,
/// "archives"; other files are never touched.
public struct LocalArchiveRetention: Sendable {
    /// The directory holding the bundles.
    public var directory: String

    /// Retention for `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    /// The bundles in the directory, each dated by its name.
    /// - Throws: the file system's error when the directory cannot be listed.
    public func items() throws -> [RetentionPlan.Item] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted().compactMap { name in
            ArchiveBundleName.date(of: name).map {
                RetentionPlan.Item(
                    key: (directory as NSString).appendingPathComponent(name), group: "archives", time: $0)
            }
        }
    }

    /// Plans a run at `now`.
    public func plan(policy: RetentionPolicy, now: Date = Date()) throws -> RetentionPlan {
        RetentionPlan(items: try items(), policy: policy, now: now)
    }

    /// Deletes the plan's `delete` files; returns those deleted. Stops at the first failure.
    @discardableResult
    public func apply(_ plan: RetentionPlan) throws -> [RetentionPlan.Item] {
        var deleted: [RetentionPlan.Item] = []
        for item in plan.delete {
            try FileManager.default.removeItem(atPath: item.key)
            deleted.append(item)
        }
        return deleted
    }
}
