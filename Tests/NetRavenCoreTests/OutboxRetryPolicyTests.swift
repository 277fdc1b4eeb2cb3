import Foundation
import NetRavenTestSupport
import Testing

@testable import NetRavenCore

/// The outbox's retry schedule and stuck detection, on explicit dates; and its `outbox:` configuration section.
@Suite struct OutboxRetryPolicyTests {
    static let failedAt = Date(timeIntervalSince1970: 1_790_000_000)

    @Test(arguments: [(1, 10.0), (2, 20.0), (3, 40.0), (4, 80.0), (7, 640.0), (8, 900.0), (50, 900.0)])
    func defaultScheduleDoublesUpToFifteenMinutes(attempt: Int, seconds: Double) {
        let policy = OutboxRetryPolicy()
        // unit 0.5 = no jitter either way.
        let next = policy.nextAttempt(afterAttempt: attempt, failedAt: Self.failedAt, unit: 0.5)
        #expect(next == Self.failedAt.addingTimeInterval(seconds))
    }

    @Test func jitterSpreadsByTheConfiguredFractionBothWays() {
        let policy = OutboxRetryPolicy()
        #expect(policy.nextAttempt(afterAttempt: 3, failedAt: Self.failedAt, unit: 0) == Self.failedAt.addingTimeInterval(32))
        #expect(policy.nextAttempt(afterAttempt: 3, failedAt: Self.failedAt, unit: 1) == Self.failedAt.addingTimeInterval(48))
        // Attempt 0 (never ran, a crash before the first result) waits like attempt 1.
        #expect(policy.nextAttempt(afterAttempt: 0, failedAt: Self.failedAt, unit: 0.5) == Self.failedAt.addingTimeInterval(10))
    }

    @Test func jitterComesFromTheInjectedGenerator() {
        let policy = OutboxRetryPolicy()
        for seed in [1, 7, 42] as [UInt64] {
            var generator = SplitMix64(state: seed)
            var replay = generator
            let next = policy.nextAttempt(afterAttempt: 2, failedAt: Self.failedAt, using: &generator)
            let unit = Double.random(in: 0...1, using: &replay)
            #expect(next == policy.nextAttempt(afterAttempt: 2, failedAt: Self.failedAt, unit: unit))
            #expect(next >= Self.failedAt.addingTimeInterval(16) && next <= Self.failedAt.addingTimeInterval(24))
        }
    }

    @Test func stuckAfterTooLongOrTooManyAttempts() {
        let policy = OutboxRetryPolicy(stuckAfter: .seconds(3600), stuckAttempts: 10)
        let created = Self.failedAt
        #expect(policy.stuck(createdAt: created, attempts: 10, now: created.addingTimeInterval(3600)) == nil)
        #expect(
            policy.stuck(createdAt: created, attempts: 2, now: created.addingTimeInterval(3600.5))
                == .pendingTooLong(.milliseconds(3_600_500)))
        #expect(policy.stuck(createdAt: created, attempts: 11, now: created) == .tooManyAttempts(11))
        #expect(
            policy.stuck(createdAt: created, attempts: 11, now: created.addingTimeInterval(7200)) == .tooManyAttempts(11),
            "the attempt count says more")
        #expect("\(OutboxRetryPolicy.Stuck.pendingTooLong(.seconds(5400)))" == "pending for 5400 s")
    }

    @Test func failedAttemptsAreRetriedOnlyWhenTransient() {
        #expect(OutboxResult.failed("503 Slow Down", isTransient: true) == .retry("503 Slow Down"))
        #expect(OutboxResult.failed("403 AccessDenied", isTransient: false) == .reject("403 AccessDenied"))
    }
}

/// The `outbox:` section of netraven.yaml (on the configuration fixture of the `sweep:` tests).
@Suite struct OutboxConfigurationTests {
    let fixture: SweepConfigurationTests

    init() throws {
        fixture = try SweepConfigurationTests()
    }

    @Test func defaultsAndEveryKey() throws {
        #expect(try fixture.load("").settings.outbox == OutboxSettings())
        let outbox = try fixture.load(
            """
            outbox:
              retry_initial: 30s
              retry_max: 1h
              stuck_after: 4h
              stuck_attempts: 20
              concurrency: 2
            """
        ).settings.outbox
        #expect(outbox.retry.backoff.initial == .seconds(30) && outbox.retry.backoff.maximum == .seconds(3600))
        #expect(outbox.retry.stuckAfter == .seconds(4 * 3600) && outbox.retry.stuckAttempts == 20)
        #expect(outbox.concurrency == 2)
    }

    @Test func problemsSayWhere() throws {
        let problems = fixture.problems(
            "outbox:\n  retry_initial: 5m\n  retry_max: 1m\n  concurency: 3\n  stuck_attempts: 0\n")
        #expect(problems.count == 3, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("6:") && $0.contains("must not be shorter than") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("7:") && $0.contains("concurency") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("8:") && $0.contains("stuck_attempts") }, "\(problems)")
    }
}
