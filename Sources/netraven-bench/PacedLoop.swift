import Foundation

/// Runs a send function `count` times on a dedicated thread (never the cooperative pool: it spins and sleeps),
/// either flat out or paced to `rate` calls per second against the monotonic clock, and reports how long it took.
///
/// Pacing is by schedule, not by sleeping a fixed gap: whenever the loop is behind, it catches up in a burst of at
/// most `burst` calls, so the offered rate holds even when single sleeps overshoot.
struct PacedLoop: Sendable {
    var count: Int
    /// Calls per second; 0 = as fast as possible.
    var rate: Double
    var burst = 64

    /// Calls `send(index)` for every index in order; returns the seconds from the first call to the last.
    func run(_ send: @escaping @Sendable (Int) -> Void) async -> Double {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: self.loop(send))
            }
            thread.name = "netraven-bench-sender"
            thread.start()
        }
    }

    private func loop(_ send: (Int) -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        var sent = 0
        while sent < count {
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let due = rate > 0 ? min(count, Int(elapsed * rate) + 1) : count
            if sent >= due {
                var pause = timespec(tv_sec: 0, tv_nsec: 50_000)
                nanosleep(&pause, nil)
                continue
            }
            let end = min(due, sent + burst)
            while sent < end {
                send(sent)
                sent += 1
            }
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
