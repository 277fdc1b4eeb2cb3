public import NetRavenCore

/// What happened to one device in a capture run.
public struct CaptureResult: Sendable {
    public enum Outcome: Sendable {
        /// A new version was committed (or, in a dry run, would be).
        case changed(commit: String?, insertions: Int, deletions: Int, isNew: Bool)
        case unchanged
        case failed(CaptureError)
    }

    public var device: String
    public var jobID: String
    public var outcome: Outcome
    /// Seconds the capture took.
    public var duration: Double
    public var attempts: Int
    /// The verdict on a committed change (nil when nothing was committed).
    public var verdict: ChangeVerdict?
    /// The full id of the commit a change made (the outcome carries the short one).
    public var commitID: String?

    public init(
        device: String, jobID: String, outcome: Outcome, duration: Double, attempts: Int, verdict: ChangeVerdict? = nil
    ) {
        self.device = device
        self.jobID = jobID
        self.outcome = outcome
        self.duration = duration
        self.attempts = attempts
        self.verdict = verdict
    }

    public var failed: Bool {
        if case .failed = outcome { return true }
        return false
    }
}

/// The result of pushing the archive after a run.
public enum PushStatus: Sendable, Equatable {
    /// No remote configured, pushing disabled, or a dry run.
    case notConfigured
    case pushed(commit: String)
    /// Nothing new to push.
    case upToDate
    /// The push failed; the commits are kept and go with the next push.
    case failed(String)
}

extension CaptureResult.Outcome {
    /// The `result` label of `netraven_captures_total` (a dry run's difference counts as `changed`).
    var metricResult: String {
        switch self {
        case .changed(let commit, _, _, _): commit == nil ? "changed" : "committed"
        case .unchanged: "unchanged"
        case .failed: "failed"
        }
    }
}
