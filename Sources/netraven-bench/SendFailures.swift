import Synchronization

/// Send failures of a load generator: how many, and the first one's text (the rest are usually the same).
final class SendFailures: Sendable {
    private let state = Mutex<(count: Int, first: String?)>((0, nil))

    func record(_ error: any Error) {
        state.withLock { state in
            state.count += 1
            if state.first == nil { state.first = "\(error)" }
        }
    }

    var count: Int { state.withLock { $0.count } }
    var first: String? { state.withLock { $0.first } }
}
