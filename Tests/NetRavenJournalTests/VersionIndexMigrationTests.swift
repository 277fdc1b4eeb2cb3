import Foundation
import GRDB
import NetRavenTestSupport
import Testing

@testable import NetRavenJournal

/// Migration v4 on a journal written by the version before it (v3), and the index's compare-and-set.
@Suite struct VersionIndexMigrationTests {
    private func version(_ id: String, parent: String?) -> IndexedVersion {
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        return IndexedVersion(
            commitID: id, shortID: String(id.prefix(7)), parentIDs: parent.map { [$0] } ?? [], authorName: "a",
            authorEmail: "a@example.net", authoredAt: date, committerName: "NetRaven", committerEmail: "n@example.net",
            committedAt: date, summary: "change \(id)", message: "change \(id)\n")
    }

    @Test func aVersion3JournalGainsAnEmptyIndexAndKeepsItsEvents() async throws {
        let directory = try TemporaryDirectory(prefix: "netraven-journal")
        let path = "\(directory.path)/journal.sqlite"
        let old = try DatabaseQueue(path: path)
        try JournalSchema.migrator.migrate(old, upTo: "v3: outbox")
        try await old.write { db in
            try db.execute(
                sql: """
                    INSERT INTO event (id, device, kind, event_time, received_at)
                    VALUES ('e1', 'r1', 'syslog', 1700000000, 1700000000)
                    """)
        }
        #expect(try await old.read { db in try db.tableExists("version_commit") } == false)
        try old.close()

        let journal = try EventJournal(path: path)
        #expect(try await journal.events(device: "r1", limit: 10).map(\.event.id) == ["e1"])
        #expect(try await journal.versionIndexHead() == nil)
        #expect(try await journal.versions(path: "core/r1.cfg").isEmpty)

        let first = IndexedCommit(version: version("c1", parent: nil), paths: ["core/r1.cfg", "core/r2.cfg"])
        let second = IndexedCommit(version: version("c2", parent: "c1"), paths: ["core/r1.cfg"])
        #expect(try await journal.appendVersions([first], expectedHead: nil, newHead: "c1"))
        // A writer that read the index before `c1` landed is refused and writes nothing.
        #expect(try await journal.appendVersions([second], expectedHead: nil, newHead: "c2") == false)
        #expect(try await journal.appendVersions([second], expectedHead: "c1", newHead: "c2"))
        #expect(try await journal.versionIndexHead() == "c2")
        #expect(try await journal.versions(path: "core/r1.cfg").map(\.commitID) == ["c2", "c1"])
        #expect(try await journal.versions(path: "core/r1.cfg", limit: 1) == [second.version])
        #expect(try await journal.versions(path: "core/r2.cfg").map(\.commitID) == ["c1"])
        #expect(try await journal.versionIndexSize() == (commits: 2, versions: 3))
    }
}
