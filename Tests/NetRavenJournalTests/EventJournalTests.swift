import Foundation
import GRDB
import NetRavenCore
import NetRavenTestSupport
import Testing

@testable import NetRavenJournal

/// The journal on a real SQLite file: lifecycle, resume, retention, concurrency, duplicates, WAL.
@Suite struct EventJournalTests {
    let directory: TemporaryDirectory
    let path: String

    init() throws {
        directory = try TemporaryDirectory()
        path = directory.path + "/state/journal.sqlite"
    }

    static let start = Date(timeIntervalSince1970: 1_790_000_000.123456)

    static func event(_ id: String, device: String = "r1", at offset: Double = 0) -> ChangeEvent {
        ChangeEvent(
            id: id, kind: .syslog, device: device, user: "jdoe", source: "192.0.2.50",
            time: start.addingTimeInterval(offset), raw: "<189>12: %SYS-5-CONFIG_I: Configured from vty0 by jdoe",
            change: .committed, commit: "c-\(id)", rule: "cisco_ios.config_i")
    }

    func expectCode(_ code: JournalError.Code, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected \(code)")
        } catch let error as JournalError {
            #expect(error.code == code, "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func storesEveryEventFieldAndRefusesDuplicates() async throws {
        let journal = try EventJournal(path: path)
        let full = Self.event("e1")
        let bare = ChangeEvent(id: "e2", kind: .manual, device: "r2", time: Self.start)
        #expect(try await journal.record(full, peer: "192.0.2.1:514", transport: "udp", receivedAt: Self.start))
        #expect(try await journal.record(bare, peer: nil, transport: nil, receivedAt: Self.start))
        var changed = full
        changed.user = "someone-else"
        #expect(try await journal.record(changed, peer: nil, transport: nil) == false, "same id: not journaled again")

        let events = try await journal.events(device: nil, limit: 10)
        #expect(events.map(\.event) == [bare, full], "newest first, every field back as stored")
        #expect(events[1].peer == "192.0.2.1:514" && events[1].transport == "udp" && events[1].receivedAt == Self.start)
        #expect(events[1].jobID == nil)
        #expect(try await journal.events(device: "r2", limit: 10).map(\.event.id) == ["e2"])
        #expect(try await journal.events(device: nil, limit: 1).map(\.event.id) == ["e2"])
    }

    @Test func keepsCommentsAndVerdicts() async throws {
        let journal = try EventJournal(path: path)
        var event = Self.event("e1")
        event.comment = "CHG0042 uplink"
        try await journal.record(event, peer: nil, transport: "udp")
        #expect(try await journal.events(device: nil, limit: 1).first?.event.comment == "CHG0042 uplink")
        let verdict = ChangeVerdict(
            kind: .unexpected, reasons: [.init(code: "no-event", detail: "found by a sweep capture")], severity: .warning)
        for (id, value) in [("j1", verdict), ("j2", nil)] as [(String, ChangeVerdict?)] {
            try await journal.createJob(id: id, device: "r1", trigger: .sweep, eventIDs: [], at: Self.start)
            try await journal.markRunning(job: id, at: Self.start)
            try await journal.finish(job: id, outcome: .committed(commit: "abc"), at: Self.start, verdict: value)
        }
        let jobs = try await journal.jobs(device: "r1", state: nil, limit: 5)
        #expect(jobs.first { $0.id == "j1" }?.verdict == verdict)
        #expect(jobs.first { $0.id == "j2" }?.verdict == nil)
    }

    @Test func wholeLifecycleWithAnEventHeldByTwoJobs() async throws {
        let journal = try EventJournal(path: path)
        for id in ["e1", "e2", "e3"] { try await journal.record(Self.event(id), peer: nil, transport: "tcp") }
        try await journal.createJob(id: "j1", device: "r1", trigger: .syslog, eventIDs: ["e1"], at: Self.start)
        try await journal.attach(eventIDs: ["e2", "e1"], toJob: "j1")
        try await journal.markRunning(job: "j1", at: Self.start.addingTimeInterval(10))
        // e3 arrives during the collection: it joins the next job, and so does e2 (the device was dirty).
        try await journal.createJob(id: "j2", device: "r1", trigger: .syslog, eventIDs: ["e2", "e3"], at: Self.start)
        try await journal.finish(
            job: "j1", outcome: .committed(commit: "abc123"), at: Self.start.addingTimeInterval(20))

        let j1 = try #require(try await journal.jobs(device: "r1", state: .committed, limit: 5).first)
        #expect(j1.id == "j1" && j1.trigger == .syslog && j1.eventIDs == ["e1", "e2"])
        #expect(j1.createdAt == Self.start && j1.startedAt == Self.start.addingTimeInterval(10))
        #expect(j1.finishedAt == Self.start.addingTimeInterval(20) && j1.commit == "abc123" && j1.attempts == 1)
        #expect(try await journal.jobs(device: nil, state: nil, limit: 5).map(\.id) == ["j2", "j1"])

        let e2 = try #require(try await journal.events(device: "r1", limit: 5).first { $0.event.id == "e2" })
        #expect(e2.jobIDs == ["j1", "j2"] && e2.jobID == "j2")

        try await journal.markRunning(job: "j2", at: Self.start.addingTimeInterval(30))
        try await journal.finish(
            job: "j2", outcome: .failed(code: "timeout", reason: "no prompt after 30 s"),
            at: Self.start.addingTimeInterval(40))
        let j2 = try #require(try await journal.jobs(device: nil, state: .failed, limit: 5).first)
        #expect(j2.failureCode == "timeout" && j2.failureReason == "no prompt after 30 s" && j2.commit == nil)
        #expect(try await journal.unfinishedWork().isEmpty)
    }

    @Test func illegalTransitionsAreErrorsWithACode() async throws {
        let journal = try EventJournal(path: path)
        try await journal.record(Self.event("e1"), peer: nil, transport: nil)
        await expectCode(.unknownJob) { try await journal.finish(job: "nope", outcome: .unchanged, at: Self.start) }
        await expectCode(.unknownJob) { try await journal.markRunning(job: "nope", at: Self.start) }
        await expectCode(.unknownEvent) {
            try await journal.createJob(id: "j0", device: "r1", trigger: .syslog, eventIDs: ["never"], at: Self.start)
        }
        #expect(try await journal.jobs(device: nil, state: nil, limit: 5).isEmpty, "the failed create left nothing")

        try await journal.createJob(id: "j1", device: "r1", trigger: .syslog, eventIDs: ["e1"], at: Self.start)
        await expectCode(.duplicateJob) {
            try await journal.createJob(id: "j1", device: "r1", trigger: .sweep, eventIDs: [], at: Self.start)
        }
        await expectCode(.illegalTransition) {
            try await journal.finish(job: "j1", outcome: .committed(commit: "x"), at: Self.start)
        }
        try await journal.markRunning(job: "j1", at: Self.start)
        try await journal.finish(job: "j1", outcome: .unchanged, at: Self.start)
        await expectCode(.illegalTransition) {
            try await journal.finish(job: "j1", outcome: .unchanged, at: Self.start)
        }
        await expectCode(.illegalTransition) { try await journal.markRunning(job: "j1", at: Self.start) }
        await expectCode(.illegalTransition) { try await journal.attach(eventIDs: ["e1"], toJob: "j1") }

        // A queued job may fail without running (its device left the inventory).
        try await journal.createJob(id: "j2", device: "r9", trigger: .sweep, eventIDs: [], at: Self.start)
        try await journal.finish(
            job: "j2", outcome: .failed(code: "configuration", reason: "no such device"), at: Self.start)
    }

    @Test func resumeAfterReopeningCountsAttempts() async throws {
        do {
            let journal = try EventJournal(path: path)
            for id in ["e1", "e2", "e3", "e4"] {
                try await journal.record(Self.event(id, device: id == "e4" ? "r2" : "r1"), peer: nil, transport: nil)
            }
            try await journal.createJob(id: "queued", device: "r1", trigger: .syslog, eventIDs: ["e1"], at: Self.start)
            try await journal.createJob(
                id: "running", device: "r1", trigger: .trap, eventIDs: ["e2", "e3"], at: Self.start)
            try await journal.markRunning(job: "running", at: Self.start)
            try await journal.createJob(id: "done", device: "r1", trigger: .manual, eventIDs: [], at: Self.start)
            try await journal.markRunning(job: "done", at: Self.start)
            try await journal.finish(job: "done", outcome: .unchanged, at: Self.start)
        }
        let reopened = try EventJournal(path: path)
        let work = try await reopened.unfinishedWork()
        #expect(work.jobs.map(\.id) == ["queued", "running"])
        #expect(work.jobs.map(\.state) == [.queued, .running])
        #expect(work.jobs[1].events == [Self.event("e2"), Self.event("e3")])
        #expect(work.jobs[1].job.attempts == 1)
        #expect(work.orphanEvents == [Self.event("e4", device: "r2")])

        try await reopened.markRunning(job: "running", at: Self.start.addingTimeInterval(60))
        let resumed = try #require(try await reopened.jobs(device: nil, state: .running, limit: 1).first)
        #expect(resumed.attempts == 2 && resumed.startedAt == Self.start.addingTimeInterval(60))
    }

    @Test func pruneRemovesOnlyOldFinishedWork() async throws {
        let journal = try EventJournal(path: path)
        let old = Self.start
        let recent = Self.start.addingTimeInterval(40 * 86_400)
        for id in ["old1", "shared", "orphan", "queued1", "new1"] {
            try await journal.record(Self.event(id), peer: nil, transport: nil, receivedAt: old)
        }
        func finished(_ job: String, _ events: [String], at date: Date) async throws {
            try await journal.createJob(id: job, device: "r1", trigger: .syslog, eventIDs: events, at: date)
            try await journal.markRunning(job: job, at: date)
            try await journal.finish(job: job, outcome: .committed(commit: job), at: date)
        }
        try await finished("old-job", ["old1", "shared"], at: old)
        try await finished("new-job", ["new1", "shared"], at: recent)
        try await journal.createJob(id: "queued-job", device: "r1", trigger: .syslog, eventIDs: ["queued1"], at: old)

        let removed = try await journal.prune(finishedBefore: old.addingTimeInterval(30 * 86_400))
        #expect(removed == 1)
        #expect(Set(try await journal.jobs(device: nil, state: nil, limit: 10).map(\.id)) == ["new-job", "queued-job"])
        let kept = Set(try await journal.events(device: nil, limit: 10).map(\.event.id))
        #expect(kept == ["shared", "orphan", "queued1", "new1"], "old1 went with its job; the rest is still needed")
        #expect(try await journal.unfinishedWork().orphanEvents.map(\.id) == ["orphan"])
    }

    @Test func manyConcurrentWritersLoseNothing() async throws {
        let journal = try EventJournal(path: path)
        let count = 400
        let inserted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<count {
                group.addTask {
                    // Every id twice: exactly one of each pair is new.
                    try await journal.record(
                        Self.event("c\(index / 2)", device: "r\(index % 5)"), peer: nil, transport: "udp")
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(inserted == count / 2)
        let stored = try await journal.events(device: nil, limit: count)
        #expect(Set(stored.map(\.event.id)) == Set((0..<count / 2).map { "c\($0)" }))
    }

    @Test func walModeAndFullSyncOnTheFile() async throws {
        let journal = try EventJournal(path: path)
        let mode = try await journal.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let synchronous = try await journal.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(synchronous == 2, "FULL")
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.path + "/state")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        for file in [path, path + "-wal"] {
            let mode = (try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?
                .intValue
            #expect(mode == 0o600, "\(file)")
        }
    }

    @Test func unopenablePathIsAStorageError() async {
        let blocker = directory.path + "/file"
        try? Data().write(to: URL(fileURLWithPath: blocker))
        do {
            _ = try EventJournal(path: blocker + "/journal.sqlite")
            Issue.record("opened a journal under a regular file")
        } catch let error as JournalError {
            #expect(error.code == .storage, "\(error)")
            #expect(error.description.contains(blocker))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
