public import Foundation
public import NetRavenCore

/// Applies a `RetentionPolicy` to the bucket: snapshot objects grouped by device folder, and archive bundles under
/// `<prefix>/archives/` as one group. `latest.cfg` and keys NetRaven did not write are never candidates.
public struct SnapshotRetention: Sendable {
    /// The client for the configured bucket.
    public let client: S3Client

    /// Retention through `client`.
    public init(client: S3Client) {
        self.client = client
    }

    /// Lists the bucket under the prefix and plans which copies go at `now`.
    public func plan(policy: RetentionPolicy, now: Date = Date()) async throws -> RetentionPlan {
        let layout = S3ObjectLayout(prefix: client.settings.prefix)
        let objects = try await client.listObjects(prefix: layout.listingPrefix)
        let archivesFolder = layout.archiveKey(fileName: "")
        var items: [RetentionPlan.Item] = []
        for object in objects {
            if let snapshot = layout.parseSnapshot(key: object.key) {
                items.append(
                    RetentionPlan.Item(key: object.key, group: snapshot.devicePath, time: snapshot.committedAt))
            } else if object.key.hasPrefix(archivesFolder),
                let made = ArchiveBundleName.date(of: String(object.key.dropFirst(archivesFolder.count)))
            {
                items.append(RetentionPlan.Item(key: object.key, group: "archives", time: made))
            }
        }
        return RetentionPlan(items: items, policy: policy, now: now)
    }

    /// Deletes the plan's `delete` items; stops at the first failure (the rest stay for the next run).
    /// - Returns: the items deleted.
    @discardableResult
    public func apply(_ plan: RetentionPlan) async throws -> [RetentionPlan.Item] {
        var deleted: [RetentionPlan.Item] = []
        for item in plan.delete {
            try await client.deleteObject(key: item.key, versionID: item.versionID)
            deleted.append(item)
        }
        return deleted
    }
}
