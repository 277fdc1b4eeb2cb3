import NetRavenCore
import Testing

/// A manual clock's instant: the test moves time by hand.
struct ManualInstant: InstantProtocol {
    var offset: Duration

    func advanced(by duration: Duration) -> ManualInstant { ManualInstant(offset: offset + duration) }
    func duration(to other: ManualInstant) -> Duration { other.offset - offset }
    static func < (lhs: ManualInstant, rhs: ManualInstant) -> Bool { lhs.offset < rhs.offset }
}

@Suite struct WarningRateLimiterTests {
    @Test func atMostNLinesPerIntervalPerSourceThenASummary() {
        var limiter = WarningRateLimiter<ManualInstant>(maxLinesPerInterval: 2, interval: .seconds(60))
        let start = ManualInstant(offset: .zero)
        var decisions: [WarningRateLimiter<ManualInstant>.Decision] = []
        for second in 0..<5 {
            decisions.append(limiter.record(source: "192.0.2.9", at: start.advanced(by: .seconds(second))))
        }
        #expect(decisions == [.log(suppressedBefore: 0), .log(suppressedBefore: 0), .suppress, .suppress, .suppress])
        // Another source has its own quota.
        #expect(limiter.record(source: "192.0.2.10", at: start.advanced(by: .seconds(5))) == .log(suppressedBefore: 0))
        // Still inside the interval: silent. After it: logged again, with the count left out.
        #expect(limiter.record(source: "192.0.2.9", at: start.advanced(by: .seconds(59))) == .suppress)
        #expect(limiter.record(source: "192.0.2.9", at: start.advanced(by: .seconds(60))) == .log(suppressedBefore: 4))
        #expect(limiter.record(source: "192.0.2.9", at: start.advanced(by: .seconds(61))) == .log(suppressedBefore: 0))
        #expect(limiter.record(source: "192.0.2.9", at: start.advanced(by: .seconds(62))) == .suppress)
    }

    @Test func trackedSourcesAreBounded() {
        var limiter = WarningRateLimiter<ManualInstant>(maxLinesPerInterval: 1, interval: .seconds(60), maxSources: 8)
        for index in 0..<1000 {
            _ = limiter.record(source: "10.0.\(index / 256).\(index % 256)", at: ManualInstant(offset: .seconds(index)))
            #expect(limiter.trackedSources <= 8)
        }
    }
}
