import Foundation
import NetRavenCore
import NetRavenTestSupport
import Testing

@Suite struct SyslogRuleBookTests {
    func problems(_ text: String, file: String = "test_os.yaml") throws -> [String] {
        let directory = try TemporaryDirectory()
        try directory.write("syslog/\(file)", text)
        do {
            _ = try SyslogRuleBook.load(directory: directory.path)
            return []
        } catch let error as DiagnosticError {
            return error.diagnostics.map { "\($0.line):\($0.column) \($0.message)" }
        }
    }

    @Test func repositoryRulesLoadAndCoverEveryPlatform() throws {
        let book = try SyslogRuleBook.load(directory: repositoryRules)
        let expected: Set<String> = [
            "cisco_ios", "cisco_nxos", "cisco_xr", "cisco_asa", "arista_eos", "juniper_junos", "paloalto_panos",
            "fortinet_fortios", "aruba_aoscx", "aruba_aos_switch", "hp_comware", "huawei_vrp", "mikrotik_routeros",
            "dell_os10", "extreme_exos", "nokia_sros", "vyos", "ubiquiti_edgeos",
        ]
        #expect(book.platforms == expected)
        #expect(book.notes.count == 17, "every vendor file says where its formats come from and what it uses")
        // check-config loads the same rules through the RuleBook.
        #expect(try RuleBook.load(directory: repositoryRules).syslog.rules.count == book.rules.count)
    }

    @Test func aDirectoryWithoutSyslogRulesGivesAnEmptyBook() throws {
        let directory = try TemporaryDirectory()
        #expect(try SyslogRuleBook.load(directory: directory.path).rules.isEmpty)
    }

    @Test func reportsUnknownKeysBadPatternsAndIncompleteRules() throws {
        let found = try problems(
            """
            notes: fine
            colour: blue
            rules:
              - name: one
                platforms: [test_os]
                match: '(unclosed'
                kind: committed
              - name: two
                platforms: test_os
                match: 'x (?<who>\\S+)'
                kind: committed
              - name: three
                platforms: [test_os]
                match: 'y'
              - name: four
                platforms: [test_os]
                match: 'z'
                kind: changed
              - name: five
                platforms: [test_os]
                match: 'z'
                kind: saved
                change: false
                regex: 'q'
              - name: two
                platforms: [test_os]
                match: 'w'
                change: false
            """)
        #expect(found.contains { $0.hasPrefix("2:1 unknown key 'colour'") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("6:12 rules[0].match is not a valid regular expression") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("10:12 rules[1].match has capture group 'who'") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("12:5 a rule needs 'kind'") }, "\(found)")
        #expect(
            found.contains { $0.hasPrefix("18:11 rules[3].kind must be one of committed, saved, rollback") }, "\(found)"
        )
        #expect(
            found.contains { $0.hasPrefix("23:13 'change: false' marks a message that is not a change") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("24:5 unknown key 'regex' in rules[4]") }, "\(found)")
        #expect(
            found.contains { $0.hasPrefix("25:5 rule 'test_os.two' is defined twice (first at line 8)") }, "\(found)")
        #expect(found.count == 8, "\(found)")
    }

    @Test func checkConfigReportsSyslogRuleProblemsWithThePlatformRules() throws {
        let directory = try TemporaryDirectory()
        try directory.write("platforms/test_os.yaml", "prompt: '#$'\ncommands:\n  running: show run\n")
        try directory.write("syslog/test_os.yaml", "rules:\n  - name: x\n    platforms: [test_os]\n    match: '['\n")
        let error = #expect(throws: DiagnosticError.self) { try RuleBook.load(directory: directory.path) }
        #expect(
            error?.description.contains("syslog/test_os.yaml:4:12: rules[0].match is not a valid regular expression")
                == true, "\(String(describing: error))")
    }

    func book(_ rules: String) throws -> SyslogRuleBook {
        let directory = try TemporaryDirectory()
        try directory.write("syslog/v.yaml", "rules:\n" + rules)
        return try SyslogRuleBook.load(directory: directory.path)
    }

    func message(_ text: String) throws -> SyslogMessage {
        try SyslogMessage.parse(Array("<189>Mar  4 09:12:44 r1 \(text)".utf8))
    }

    @Test func negativeRulesVetoOnlyTheirOwnFamily() throws {
        let book = try book(
            """
              - {name: command, platforms: [p], family: cmd, match: 'CMD: (?<user>\\w+) ran', kind: committed}
              - {name: show, platforms: [p], family: cmd, match: 'ran show', change: false}
              - {name: any_ran, platforms: [p], family: other, match: 'ran', kind: saved}
            """)
        let configure = book.classify(try message("CMD: alice ran vlan 10"), platform: "p")
        #expect(
            configure
                == SyslogClassification(
                    change: true, kind: .committed, platform: "p", host: "r1", user: "alice", rule: "v.command"))
        // The negative rule vetoes `command`; `any_ran` belongs to another family and still decides.
        let show = book.classify(try message("CMD: alice ran show vlan"), platform: "p")
        #expect(show.change && show.kind == .saved && show.rule == "v.any_ran")
        let vetoedOnly = try self.book(
            """
              - {name: command, platforms: [p], family: cmd, match: 'CMD: (?<user>\\w+) ran', kind: committed}
              - {name: show, platforms: [p], family: cmd, match: 'ran show', change: false}
            """)
        let vetoed = vetoedOnly.classify(try message("CMD: alice ran show vlan"), platform: "p")
        #expect(vetoed == SyslogClassification(change: false, platform: "p", host: "r1", rule: "v.show"))
    }

    @Test func aKnownPlatformOnlyUsesItsRules() throws {
        let book = try book(
            """
              - {name: a, platforms: [pa], match: 'CHANGED', kind: committed}
              - {name: b, platforms: [pb, pc], match: 'CHANGED', kind: saved}
            """)
        let line = try message("CHANGED by someone")
        #expect(book.classify(line, platform: "pb").rule == "v.b")
        #expect(book.classify(line, platform: "pa").kind == .committed)
        #expect(book.classify(line, platform: "unknown").change == false)
        // Unknown platform: every rule is tried; the first decides; the platform is named only when unambiguous.
        let any = book.classify(line, platform: nil)
        #expect(any.rule == "v.a" && any.platform == nil)
        #expect(
            try self.book("  - {name: b, platforms: [pb], match: 'X', kind: saved}\n")
                .classify(try message("X"), platform: nil).platform == "pb")
    }

    @Test func fieldSemantics() throws {
        let book = try book(
            """
              - name: r
                platforms: [p]
                match: 'by (?<user>\\S+) line (?<line>\\S+)(?: from (?<source>\\S+))?(?: host (?<host>\\S+))?'
                kind: committed
            """)
        // A line but no address: the line is the source.
        let console = book.classify(try message("by ** line console"), platform: nil)
        #expect(console.user == nil && console.source == "console" && console.host == "r1")
        let remote = book.classify(try message("by bob line vty0 from 192.0.2.1 host edge-7"), platform: nil)
        #expect(remote.user == "bob" && remote.source == "192.0.2.1" && remote.host == "edge-7")
        let noHost = book.classify(try SyslogMessage.parse(Array("<189>by bob line vty0".utf8)), platform: nil)
        #expect(noHost.change && noHost.host == nil)
    }
}
