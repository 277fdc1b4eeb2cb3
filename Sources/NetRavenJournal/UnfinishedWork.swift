public import NetRavenCore

/// What to resume after a restart or crash.
public struct UnfinishedWork: Sendable, Equatable {
    /// Jobs still queued or running, oldest first, each with its events.
    public var jobs: [UnfinishedJob]
    /// Accepted events no job holds yet (they arrived during debounce), oldest first.
    public var orphanEvents: [ChangeEvent]

    public init(jobs: [UnfinishedJob], orphanEvents: [ChangeEvent]) {
        self.jobs = jobs
        self.orphanEvents = orphanEvents
    }

    /// Nothing to resume.
    public var isEmpty: Bool { jobs.isEmpty && orphanEvents.isEmpty }
}

/// A queued or running job with its events; reads the job's fields directly (`unfinished.device`).
@dynamicMemberLookup
public struct UnfinishedJob: Sendable, Equatable {
    public var job: JournaledJob
    /// The job's events, oldest first, for the commit message.
    public var events: [ChangeEvent]

    public init(job: JournaledJob, events: [ChangeEvent]) {
        self.job = job
        self.events = events
    }

    public subscript<Value>(dynamicMember keyPath: KeyPath<JournaledJob, Value>) -> Value {
        job[keyPath: keyPath]
    }
}
