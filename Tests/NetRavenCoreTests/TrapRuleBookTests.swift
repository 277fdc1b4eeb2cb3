import Foundation
import NetRavenTestSupport
import Testing

@testable import NetRavenCore

/// Every case in rules/fixtures/traps/, loaded once; a load failure shows in `fixturesLoadAndCoverEveryMIB`.
let trapFixtures: [TrapFixture] = (try? TrapFixture.loadAll(rulesDirectory: repositoryRules)) ?? []

@Suite struct TrapRuleBookTests {
    let book: TrapRuleBook

    init() throws {
        book = try TrapRuleBook.load(directory: repositoryRules)
    }

    @Test(arguments: trapFixtures)
    func classifiesFixture(_ fixture: TrapFixture) {
        let actual = book.classify(trapOID: fixture.trapOID, varbinds: fixture.varbinds)
        let mismatches = fixture.mismatches(actual)
        #expect(mismatches.isEmpty, "\(fixture.location): \(fixture.name)\n\(mismatches.joined(separator: "\n"))")
    }

    /// Every rule file has fixtures, and each MIB with a change rule has a positive and a negative case.
    @Test func fixturesLoadAndCoverEveryMIB() throws {
        let fixtures = try TrapFixture.loadAll(rulesDirectory: repositoryRules)
        #expect(fixtures.count == trapFixtures.count)
        let mibs = Set(book.rules.values.map(\.mib))
        #expect(mibs.count >= 7)
        for mib in mibs.sorted() {
            let own = fixtures.filter { ($0.file as NSString).lastPathComponent == mib + ".yaml" }
            #expect(own.contains { !$0.expected.change }, "\(mib): no negative fixture")
            let hasChangeRule = book.rules.values.contains { $0.mib == mib && $0.cases.contains { $0.kind != nil } }
            if hasChangeRule { #expect(own.contains { $0.expected.change }, "\(mib): no positive fixture") }
        }
    }

    func problems(_ text: String, file: String = "TEST-MIB") throws -> [Diagnostic] {
        let directory = try TemporaryDirectory()
        try directory.write("traps/\(file).yaml", text)
        do {
            _ = try TrapRuleBook.load(directory: directory.path)
            return []
        } catch let error as DiagnosticError {
            return error.diagnostics
        }
    }

    @Test func reportsUnknownKeysAndBadValuesWithPositions() throws {
        let found = try problems(
            """
            mib: TEST-MIB
            source: test
            enums:
              Medium: {running: 3, startup: 4}
            varbinds:
              destination: {oid: 1.3.6.1.4.1.1.5, enum: Medium}
            traps:
              - name: event
                oid: 1.3.6.1.4.1.1.0.1
                colour: blue
                cases:
                  - when: {destination: flash}
                    kind: committed
                  - when: {nothere: 1}
                    kind: exploded
              - name: other
                oid: 1.3.x.1
                change: false

            """)
        let text = found.map(\.description)
        #expect(
            text.contains {
                $0.hasSuffix(
                    "TEST-MIB.yaml:10:5: unknown key 'colour' in traps[0] "
                        + "(known keys: cases, change, description, fields, kind, name, oid, reason)"
                )
            })
        #expect(text.contains { $0.contains(":12:29: 'flash' is not a value of destination (running(3) startup(4))") })
        #expect(text.contains { $0.contains(":14:16: no varbind 'nothere'") })
        #expect(
            text.contains { $0.contains(":15:15: traps[0].cases[1].kind must be one of committed, saved, rollback") })
        #expect(text.contains { $0.contains(":17:10: traps[1].oid must be a numeric OID") })
    }

    @Test func refusesMismatchedFileNameAndDuplicateTrapOIDs() throws {
        let found = try problems(
            """
            mib: OTHER-MIB
            source: test
            traps:
              - {name: a, oid: 1.3.6.1.4.1.1.0.1, change: false}
              - {name: b, oid: 1.3.6.1.4.1.1.0.1, kind: saved}

            """)
        #expect(found.contains { $0.message == "mib 'OTHER-MIB' differs from the file name 'TEST-MIB'" })
        #expect(found.contains { $0.line == 5 && $0.message.contains("already has a rule: OTHER-MIB.a") })
    }

    @Test func rulesDirectoryWithoutTrapsIsEmpty() throws {
        let directory = try TemporaryDirectory()
        let empty = try TrapRuleBook.load(directory: directory.path)
        #expect(empty.rules.isEmpty)
        #expect(!empty.classify(trapOID: "1.3.6.1.4.1.9.9.43.2.0.2", varbinds: []).change)
    }

    /// `check-config` loads the rules through ConfigurationLoader, so a broken trap rule fails it with a position.
    @Test func configurationLoadReportsTrapRuleProblems() throws {
        let directory = try TemporaryDirectory()
        for sub in ["platforms", "secrets"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: repositoryRules + "/" + sub) {
                try directory.write(
                    "rules/\(sub)/\(name)", String(contentsOfFile: repositoryRules + "/\(sub)/\(name)", encoding: .utf8)
                )
            }
        }
        try directory.write(
            "rules/traps/BROKEN-MIB.yaml", "mib: BROKEN-MIB\nsource: x\ntraps:\n  - {name: a, oid: 1.3.6.1.2.1}\n")
        let main = try directory.write(
            "netraven.yaml", "state_dir: state\ninventory: inventory.yaml\ncredentials: credentials.yaml\n")
        try directory.write("inventory.yaml", ConfigurationLoaderTests.validInventory)
        try directory.write("credentials.yaml", ConfigurationLoaderTests.validCredentials)
        #expect {
            _ = try ConfigurationLoader(rulesDirectoryOverride: directory.path + "/rules", environment: [:]).load(
                path: main)
        } throws: { error in
            "\(error)".contains(
                "BROKEN-MIB.yaml:4:5: a trap rule needs kind (committed, saved, rollback), change: false, or cases")
        }
    }
}
