public import Foundation

/// Which stored copies a retention run deletes: those older than `keepDays`, except the `keepMinimum` newest of
/// each group (a device, or the local archive bundles), so the last good copies never go whatever their age.
public struct RetentionPlan: Sendable, Equatable {
    /// One stored copy: an S3 snapshot object or a local archive bundle.
    public struct Item: Sendable, Equatable, Codable {
        /// The S3 key or the file path; what is deleted.
        public var key: String
        /// What the minimum keep counts over: the device path, or "archives".
        public var group: String
        /// When the copy was made (from its name, so a re-upload does not make it young again).
        public var time: Date
        /// The S3 version id, when deleting one version of a versioned object.
        public var versionID: String?

        /// An item of `group` made at `time`.
        public init(key: String, group: String, time: Date, versionID: String? = nil) {
            self.key = key
            self.group = group
            self.time = time
            self.versionID = versionID
        }
    }

    /// Copies that go, oldest first within each group, groups in name order.
    public var delete: [Item]
    /// Copies that stay, in the same order.
    public var keep: [Item]

    /// Plans a run at `now`. `latest.cfg` objects never reach here (the caller does not list them as items).
    public init(items: [Item], policy: RetentionPolicy, now: Date) {
        let cutoff = now.addingTimeInterval(-Double(policy.keepDays) * 86_400)
        var delete: [Item] = []
        var keep: [Item] = []
        let groups = Dictionary(grouping: items, by: \.group)
        for group in groups.keys.sorted() {
            // Newest first; equal times by key so the plan is the same on every run.
            let newestFirst = groups[group, default: []].sorted { ($0.time, $0.key) > ($1.time, $1.key) }
            for (rank, item) in newestFirst.enumerated() {
                if rank < policy.keepMinimum || item.time >= cutoff {
                    keep.append(item)
                } else {
                    delete.append(item)
                }
            }
        }
        self.delete = delete.reversedWithinGroups()
        self.keep = keep.reversedWithinGroups()
    }
}

extension [RetentionPlan.Item] {
    /// Oldest first within each group, keeping the groups' order.
    fileprivate func reversedWithinGroups() -> [RetentionPlan.Item] {
        var result: [RetentionPlan.Item] = []
        var start = startIndex
        while start < endIndex {
            var end = start
            while end < endIndex && self[end].group == self[start].group { end += 1 }
            result.append(contentsOf: self[start..<end].reversed())
            start = end
        }
        return result
    }
}
