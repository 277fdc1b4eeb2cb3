public import Foundation
public import NetRavenCore

/// A capture job as the journal holds it.
public struct JournaledJob: Sendable, Equatable {
    public var id: String
    public var device: String
    public var trigger: TriggerKind
    public var state: JobState
    /// The events this job captures, oldest first.
    public var eventIDs: [String]
    public var createdAt: Date
    /// When the last attempt started (nil while queued).
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The archive commit of a committed job.
    public var commit: String?
    public var failureCode: String?
    public var failureReason: String?
    /// How many times the job was started: more than 1 when it was resumed after a restart or crash.
    public var attempts: Int
    /// Whether the committed change was expected, and why (nil for jobs that committed nothing).
    public var verdict: ChangeVerdict?

    public init(
        id: String, device: String, trigger: TriggerKind, state: JobState, eventIDs: [String], createdAt: Date,
        startedAt: Date? = nil, finishedAt: Date? = nil, commit: String? = nil, failureCode: String? = nil,
        failureReason: String? = nil, attempts: Int = 0
    ) {
        self.id = id
        self.device = device
        self.trigger = trigger
        self.state = state
        self.eventIDs = eventIDs
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.commit = commit
        self.failureCode = failureCode
        self.failureReason = failureReason
        self.attempts = attempts
    }
}
