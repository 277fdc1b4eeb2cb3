/// Counts, per device (or outbox key) and failure class, the failures in a row across captures and sweeps.
///
/// A success ends every streak of the subject. The streak length goes into the alert
/// (`Alert.consecutiveFailures`) and routes compare it with their `after:` threshold, so "unreachable for 3 sweeps
/// in a row" fires exactly once, on the third failure, and a recovery is told only when a streak ends. A pure value:
/// the daemon owns one and keeps it across sweeps.
public struct FailureStreak: Sendable, Equatable {
    /// What an observation changed.
    public enum Outcome: Sendable, Equatable {
        /// The failure happened `count` times in a row now (1 for the first).
        case failing(AlertFailureClass, count: Int)
        /// A streak of `count` failures of this class ended with a success.
        case recovered(AlertFailureClass, count: Int)
    }

    private struct Key: Hashable, Sendable {
        var subject: String
        var failure: AlertFailureClass
    }

    private var counts: [Key: Int] = [:]

    public init() {}

    /// Records one failure of `failure` for `subject` and returns the streak's new length.
    public mutating func recordFailure(_ failure: AlertFailureClass, subject: String) -> Outcome {
        let key = Key(subject: subject, failure: failure)
        let count = counts[key, default: 0] + 1
        counts[key] = count
        return .failing(failure, count: count)
    }

    /// Records a success for `subject`: ends its streaks of `classes` (all classes by default) and returns them.
    ///
    /// A successful capture proves the device reachable, its host key known and a credential accepted, so it ends
    /// every class; an upload that finally went out ends only `outboxStuck`.
    public mutating func recordSuccess(
        subject: String, classes: [AlertFailureClass] = AlertFailureClass.allCases
    ) -> [Outcome] {
        var ended: [Outcome] = []
        for failure in classes {
            if let count = counts.removeValue(forKey: Key(subject: subject, failure: failure)) {
                ended.append(.recovered(failure, count: count))
            }
        }
        return ended
    }

    /// The current streak length of `failure` for `subject` (0 when none).
    public func count(_ failure: AlertFailureClass, subject: String) -> Int {
        counts[Key(subject: subject, failure: failure)] ?? 0
    }

    /// Forgets a subject (a device removed from the inventory).
    public mutating func forget(subject: String) {
        counts = counts.filter { $0.key.subject != subject }
    }
}
