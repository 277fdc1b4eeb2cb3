/// Where a capture job is: waiting, collecting, or finished one of three ways.
public enum JobState: String, Sendable, Codable, CaseIterable {
    case queued, running, committed, unchanged, failed

    /// The job will not run again.
    public var isFinished: Bool {
        switch self {
        case .queued, .running: false
        case .committed, .unchanged, .failed: true
        }
    }
}

/// How a job ended.
public enum JobOutcome: Sendable, Equatable {
    /// The configuration changed and was committed to the archive as `commit`.
    case committed(commit: String)
    /// The configuration was the same as the archive's.
    case unchanged
    /// The capture failed; `code` is the failure class (`CaptureError.Code`'s name, `timeout`, `unreachable`, ...).
    case failed(code: String, reason: String)

    /// The state a job in this outcome is in.
    public var state: JobState {
        switch self {
        case .committed: .committed
        case .unchanged: .unchanged
        case .failed: .failed
        }
    }
}
