/// The `journal:` section of `netraven.yaml`: how long the event and job journal keeps finished work.
public struct JournalSettings: Sendable, Equatable {
    /// Finished jobs and their events older than this many days are removed; unfinished work never is.
    public var retentionDays: Int

    public init(retentionDays: Int = 30) {
        self.retentionDays = retentionDays
    }

    /// The retention as a duration.
    public var retention: Duration { .seconds(Int64(retentionDays) * 86_400) }
}

extension ConfigurationLoader {
    /// Reads `journal: {retention_days: N}`.
    func readJournal(_ node: NodeReader) -> JournalSettings {
        var journal = JournalSettings()
        guard let map = node.mapping(allowed: ["retention_days"]) else { return journal }
        journal.retentionDays = map["retention_days"]?.int(in: 1...36_500) ?? journal.retentionDays
        return journal
    }
}
