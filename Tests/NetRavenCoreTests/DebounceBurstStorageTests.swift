import Foundation
import Testing

@testable import NetRavenCore

/// A burst of events on one device must grow the pending events array in place: appending to a copy of the
/// dictionary's entry copied every earlier event per new one (quadratic CPU in a storm on one device).
@Suite struct DebounceBurstStorageTests {
    @Test(arguments: ["debouncing", "queued", "running"])
    func aBurstGrowsItsEventsInPlace(state: String) {
        var machine = DebounceStateMachine<TestInstant>(
            settings: DebounceSettings(quietPeriod: .seconds(3600), maximumDelay: .seconds(7200), concurrency: 1),
            makeJobID: { "job" })
        var now = TestInstant(ms: 0)
        func event(_ number: Int) -> ChangeEvent {
            ChangeEvent(id: "e\(number)", kind: .syslog, device: "r1", user: "jdoe", time: Date(), change: .committed, commit: nil)
        }
        switch state {
        case "queued":
            // r0 runs (concurrency 1), so r1's request waits in the queue and the events ride along with it.
            _ = machine.requested(device: "r0", trigger: .manual, at: now)
            _ = machine.requested(device: "r1", trigger: .manual, at: now)
        case "running":
            _ = machine.requested(device: "r1", trigger: .manual, at: now)
        default:
            break
        }
        var addresses: [UnsafeRawPointer?] = []
        let count = 2000
        for number in 0..<count {
            now = now.advanced(by: .milliseconds(1))
            _ = machine.received(event(number), at: now)
            addresses.append(machine.pendingEventsStorage(of: "r1"))
        }
        let moves = zip(addresses, addresses.dropFirst()).count { $0 != $1 }
        #expect(addresses.allSatisfy { $0 != nil }, "r1 has pending events in state \(state)")
        // Doubling growth moves the storage about log2(2000) = 11 times; a copy per event moves it every time.
        #expect(moves < 40, "the events array moved \(moves) times in \(count) appends (\(state))")
    }
}
