import Foundation
import NetRavenTestSupport
import Testing
import Yams

@testable import NetRavenCore

/// The verdict policy: every rule, its reasons, and change-window edges across time zones and DST.
@Suite struct VerdictPolicyTests {
    let core = Device(name: "r1", host: "10.0.0.1", platform: "cisco_ios", group: "core", tags: ["dc1"])
    let edge = Device(name: "r2", host: "10.0.0.2", platform: "cisco_ios", group: "edge")
    let someChange = ChangedLines(added: [ContextLine(text: "interface Gi0/2")])

    static func date(_ text: String) -> Date {
        guard let date = ISO8601DateFormatter().date(from: text) else { fatalError("bad test date \(text)") }
        return date
    }

    func event(user: String?, at time: String = "2026-11-24T21:30:00Z", comment: String? = nil) -> ChangeEvent {
        ChangeEvent(
            id: UUID().uuidString, kind: .syslog, device: "r1", user: user, source: "10.1.1.5", time: Self.date(time),
            change: .committed, comment: comment)
    }

    func input(
        _ device: Device? = nil, trigger: TriggerKind = .syslog, events: [ChangeEvent], changes: ChangedLines? = nil,
        first: Bool = false
    ) -> VerdictPolicy.Input {
        VerdictPolicy.Input(
            device: device ?? core, trigger: trigger, events: events, changes: changes ?? someChange,
            isFirstCapture: first, capturedAt: Self.date("2026-11-24T21:31:00Z"))
    }

    static func window(_ cron: String, _ hours: Int, zone: String = "UTC", devices: [String] = []) throws -> ChangeWindow {
        ChangeWindow(
            name: "w-\(cron)", devices: devices,
            opens: SweepSchedule(timing: .cron(try CronExpression(cron)), timeZone: TimeZone(identifier: zone)!),
            duration: .seconds(hours * 3600))
    }

    func codes(_ verdict: ChangeVerdict) -> [String] { verdict.reasons.map(\.code) }

    @Test func aSweepFindingAChangeWithNoEventIsUnexpected() {
        let verdict = VerdictPolicy().verdict(for: input(trigger: .sweep, events: []))
        #expect(verdict.kind == .unexpected)
        #expect(codes(verdict) == ["no-event"])
        #expect(verdict.severity == .warning)
        #expect(verdict.reasons[0].detail.contains("sweep"))
    }

    @Test func anEventWithoutAnyPolicyIsExpectedAsReported() {
        let verdict = VerdictPolicy().verdict(for: input(events: [event(user: "jdoe")]))
        #expect(verdict.kind == .expected)
        #expect(codes(verdict) == ["reported"])
        #expect(verdict.reasons[0].detail.contains("jdoe"))
        #expect(verdict.severity == .info)
    }

    @Test func firstCaptureAndUnchangedLinesAreNeverAlerts() {
        let policy = VerdictPolicy(users: [.init(allow: ["alice"])])
        #expect(codes(policy.verdict(for: input(trigger: .sweep, events: [], first: true))) == ["baseline"])
        let factsOnly = policy.verdict(for: input(trigger: .sweep, events: [], changes: ChangedLines()))
        #expect(factsOnly.kind == .expected)
        #expect(codes(factsOnly) == ["no-config-change"])
    }

    @Test func usersAreCheckedPerDeviceGroupTagOrName() {
        let policy = VerdictPolicy(users: [
            .init(devices: ["core"], allow: ["jdoe"]), .init(devices: ["dc1"], allow: ["ALICE"]),
        ])
        #expect(codes(policy.verdict(for: input(events: [event(user: "jdoe")]))) == ["allowed-user"])
        // Names compare without case; rules that cover the device add up.
        #expect(policy.verdict(for: input(events: [event(user: "alice")])).kind == .expected)
        let mallory = policy.verdict(for: input(events: [event(user: "jdoe"), event(user: "mallory")]))
        #expect(mallory.kind == .unexpected)
        #expect(codes(mallory) == ["user-not-allowed"])
        #expect(mallory.reasons[0].detail == "mallory may not change r1")
        // No rule covers the edge device: any reported change is expected there.
        #expect(codes(policy.verdict(for: input(edge, events: [event(user: "mallory")]))) == ["reported"])
        // An event that names nobody cannot be checked against the list.
        #expect(codes(policy.verdict(for: input(events: [event(user: nil)]))) == ["user-not-allowed"])
    }

    @Test func automationAccountsAndTicketsVouchForUserAndTime() throws {
        let policy = VerdictPolicy(
            automationAccounts: ["ansible"], ticketPattern: try RulePattern("\\bCHG[0-9]{5,}\\b"),
            users: [.init(allow: ["jdoe"])], windows: [try Self.window("0 2 * * *", 1)])
        let bot = policy.verdict(for: input(events: [event(user: "Ansible")]))
        #expect(bot.kind == .expected)
        #expect(codes(bot) == ["automation-account"])
        let ticket = policy.verdict(for: input(events: [event(user: "mallory", comment: "per CHG0012345 fix MTU")]))
        #expect(ticket.kind == .expected)
        #expect(ticket.reasons == [.init(code: "ticket", detail: "commit comment references CHG0012345")])
        // A comment without a ticket does not help; the user and the window are then both wrong.
        let noTicket = policy.verdict(for: input(events: [event(user: "mallory", comment: "CHG12 quick fix")]))
        #expect(codes(noTicket) == ["user-not-allowed", "outside-window"])
        // A bot together with a person is judged as the person.
        #expect(policy.verdict(for: input(events: [event(user: "ansible"), event(user: "mallory")])).kind == .unexpected)
    }

    @Test func allowedUserOutsideTheWindowIsUnexpected() throws {
        let policy = VerdictPolicy(users: [.init(allow: ["jdoe"])], windows: [try Self.window("0 22 * * 2", 4)])
        // Tuesday 2026-11-24 22:00 UTC for four hours.
        let inside = policy.verdict(for: input(events: [event(user: "jdoe", at: "2026-11-24T23:59:00Z")]))
        #expect(codes(inside) == ["allowed-user", "inside-window"])
        let outside = policy.verdict(for: input(events: [event(user: "jdoe", at: "2026-11-25T02:00:00Z")]))
        #expect(outside.kind == .unexpected)
        #expect(codes(outside) == ["outside-window"])
        #expect(outside.reasons[0].detail.contains("2026-11-25T02:00:00Z"))
    }

    @Test(arguments: [
        ("2026-11-24T21:59:59Z", false), ("2026-11-24T22:00:00Z", true), ("2026-11-25T01:59:59Z", true),
        ("2026-11-25T02:00:00Z", false), ("2026-11-17T23:00:00Z", true), ("2026-11-25T23:00:00Z", false),
    ])
    func windowEdgesAreHalfOpen(time: String, open: Bool) throws {
        #expect(try Self.window("0 22 * * 2", 4).contains(Self.date(time)) == open)
    }

    @Test func windowsAreReadInTheirTimeZone() throws {
        // 22:00 in New York is 03:00 UTC the next day in winter (UTC-5).
        let window = try Self.window("0 22 * * *", 2, zone: "America/New_York")
        #expect(window.contains(Self.date("2026-11-25T03:30:00Z")))
        #expect(!window.contains(Self.date("2026-11-24T22:30:00Z")))
        // In summer (UTC-4) the same window opens at 02:00 UTC.
        #expect(window.contains(Self.date("2026-07-01T02:30:00Z")))
        #expect(!window.contains(Self.date("2026-07-01T04:00:00Z")))
    }

    @Test func windowsAcrossDaylightSavingChanges() throws {
        // Europe/Berlin springs forward on 2026-03-29 at 02:00 (to 03:00): a window at 02:30 opens when the clocks
        // jump (01:00 UTC) and lasts its elapsed hour.
        let spring = try Self.window("30 2 * * *", 1, zone: "Europe/Berlin")
        #expect(spring.contains(Self.date("2026-03-29T01:00:00Z")))
        #expect(spring.contains(Self.date("2026-03-29T01:59:59Z")))
        #expect(!spring.contains(Self.date("2026-03-29T02:00:00Z")))
        #expect(!spring.contains(Self.date("2026-03-29T00:59:59Z")))
        // Falling back on 2026-10-25 at 03:00 (to 02:00): 02:30 occurs twice; the window opens the first time
        // (00:30 UTC) and closes an elapsed hour later, before the second 02:30 (01:30 UTC).
        let autumn = try Self.window("30 2 * * *", 1, zone: "Europe/Berlin")
        #expect(autumn.contains(Self.date("2026-10-25T00:30:00Z")))
        #expect(autumn.contains(Self.date("2026-10-25T01:29:59Z")))
        #expect(!autumn.contains(Self.date("2026-10-25T01:30:00Z")))
    }

    @Test func windowsCoverOnlyTheirDevices() throws {
        let policy = VerdictPolicy(windows: [try Self.window("0 22 * * 2", 4, devices: ["edge"])])
        // The core device is covered by no window: time does not matter there.
        #expect(codes(policy.verdict(for: input(events: [event(user: "jdoe", at: "2026-11-25T12:00:00Z")]))) == ["reported"])
        let edgeEvent = ChangeEvent(id: "e", kind: .trap, device: "r2", user: "jdoe", time: Self.date("2026-11-25T12:00:00Z"))
        #expect(codes(policy.verdict(for: input(edge, events: [edgeEvent]))) == ["outside-window"])
    }

    @Test func sensitiveLinesAreCriticalAndMatchTheirParents() throws {
        let categories = [
            SensitiveCategory(name: "snmp", patterns: [try RulePattern("^\\s*snmp-server community\\s")]),
            SensitiveCategory(name: "management-access", patterns: [try RulePattern("^\\s*ip access-list \\S+ MGMT")]),
        ]
        let policy = VerdictPolicy(automationAccounts: ["ansible"], sensitive: categories)
        let old = "ip access-list standard MGMT\n permit 10.0.0.0 0.255.255.255\n!\nhostname r1\n"
        let new = "ip access-list standard MGMT\n permit 10.0.0.0 0.255.255.255\n permit 192.0.2.0 0.0.0.255\n!\nhostname r1\n"
        let verdict = policy.verdict(for: input(events: [event(user: "jdoe")], changes: ChangedLines(old: old, new: new)))
        #expect(verdict.kind == .unexpected)
        #expect(verdict.severity == .critical)
        #expect(verdict.reasons == [.init(code: "sensitive-lines", detail: "sensitive lines changed: management-access")])
        // The detail names categories only: a changed community must not be repeated into alerts or trailers.
        let community = policy.verdict(
            for: input(
                events: [event(user: "ansible")],
                changes: ChangedLines(old: "snmp-server community s3cret RO\n", new: "hostname r1\n")))
        #expect(codes(community) == ["sensitive-lines"])
        #expect(!community.reasons.map(\.detail).joined().contains("s3cret"))
        // Unrelated lines are not sensitive.
        let plain = policy.verdict(
            for: input(events: [event(user: "jdoe")], changes: ChangedLines(old: "hostname r1\n", new: "hostname r9\n")))
        #expect(plain.kind == .expected)
    }

    @Test func exemptionsVouchForSensitiveLines() throws {
        let categories = [SensitiveCategory(name: "users", patterns: [try RulePattern("^\\s*username\\s")])]
        let changes = ChangedLines(old: "", new: "username bob secret 9 $9$abc\n")
        var policy = VerdictPolicy(
            automationAccounts: ["ansible"], ticketPattern: try RulePattern("CHG[0-9]+"), sensitive: categories,
            sensitiveExemptions: [.ticket])
        let ticketed = policy.verdict(for: input(events: [event(user: "jdoe", comment: "CHG42")], changes: changes))
        #expect(ticketed.kind == .expected)
        #expect(codes(ticketed) == ["ticket", "sensitive-exempt"])
        // Only the named exemption vouches.
        #expect(policy.verdict(for: input(events: [event(user: "ansible")], changes: changes)).kind == .unexpected)
        policy.sensitiveExemptions = [.automation]
        #expect(policy.verdict(for: input(events: [event(user: "ansible")], changes: changes)).kind == .expected)
    }

    @Test func everyReasonOfAnUnexpectedVerdictIsListed() throws {
        let categories = [SensitiveCategory(name: "aaa", patterns: [try RulePattern("^aaa ")])]
        let policy = VerdictPolicy(
            users: [.init(allow: ["jdoe"])], windows: [try Self.window("0 22 * * 2", 4)], sensitive: categories)
        let verdict = policy.verdict(
            for: input(
                events: [event(user: "mallory", at: "2026-11-25T12:00:00Z")],
                changes: ChangedLines(old: "", new: "aaa new-model\n")))
        #expect(codes(verdict) == ["user-not-allowed", "outside-window", "sensitive-lines"])
        #expect(verdict.severity == .critical)
    }
}

/// Lines with their nesting, and what changed between two versions.
@Suite struct ChangedLinesTests {
    @Test func contextFollowsIndentationAndBraces() {
        let junos = """
            system {
                login {
                    user jdoe {
                        authentication {
                            encrypted-password "$6$x";
                        }
                    }
                }
            }
            interfaces {
                ge-0/0/0 {
            """
        let lines = ContextLine.lines(of: junos)
        #expect(lines.map(\.text).contains { $0.contains("encrypted-password") })
        let key = lines.first { $0.text.contains("encrypted-password") }
        #expect(key?.ancestors.map { $0.trimmingCharacters(in: .whitespaces) }
            == ["system {", "login {", "user jdoe {", "authentication {"])
        #expect(lines.last?.ancestors == ["interfaces {"])
        #expect(!lines.contains { $0.text.trimmingCharacters(in: .whitespaces) == "}" })
    }

    @Test func movedAndDuplicatedLinesCountByContext() {
        let old = "interface Gi1\n shutdown\ninterface Gi2\n description x\n"
        let new = "interface Gi1\n description x\ninterface Gi2\n shutdown\n"
        let changes = ChangedLines(old: old, new: new)
        #expect(changes.added.map(\.text) == [" description x", " shutdown"])
        #expect(changes.added.map(\.ancestors) == [["interface Gi1"], ["interface Gi2"]])
        #expect(changes.removed.map(\.text) == [" shutdown", " description x"])
        // Reordered identical top-level lines are no change; a line that appeared twice and now once is one removal.
        #expect(ChangedLines(old: "a\nb\n", new: "b\na\n").isEmpty)
        let counted = ChangedLines(old: "ntp server 1\nntp server 1\n", new: "ntp server 1\n")
        #expect(counted.removed.map(\.text) == ["ntp server 1"])
        #expect(counted.added.isEmpty)
        // Comment markers and blank lines are no configuration.
        #expect(ChangedLines(old: "!\nhostname r1\n", new: "hostname r1\n!\n\n").isEmpty)
    }
}

/// `rules/sensitive/` against the cases in `rules/fixtures/sensitive/`, and the `verdict:` section's loading.
@Suite struct VerdictRulesTests {
    struct Case: Decodable {
        var name: String
        var old: String
        var new: String
        var touches: [String]
    }

    struct Cases: Decodable { var cases: [Case] }

    static func loadCases() throws -> [Case] {
        let path = repositoryRules + "/fixtures/sensitive/cases.yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try YAMLDecoder().decode(Cases.self, from: text).cases
    }

    static func categories() throws -> [SensitiveCategory] {
        let diagnostics = DiagnosticCollector()
        let categories = SensitiveCategory.load(directory: repositoryRules, diagnostics: diagnostics)
        try diagnostics.throwIfAny()
        return categories
    }

    @Test func everyFixtureCaseTouchesExactlyItsCategories() throws {
        let categories = try Self.categories()
        #expect(Set(categories.map(\.name)) == ["aaa", "users", "snmp", "management-access", "crypto-keys"])
        let cases = try Self.loadCases()
        #expect(cases.count >= 15)
        for fixture in cases {
            let changes = ChangedLines(old: fixture.old, new: fixture.new)
            let touched = categories.filter { category in
                changes.added.contains(where: category.matches) || changes.removed.contains(where: category.matches)
            }.map(\.name)
            #expect(touched.sorted() == fixture.touches.sorted(), "\(fixture.name)")
        }
    }
}

/// The `verdict:` section of netraven.yaml.
@Suite struct VerdictConfigurationTests {
    let fixture: SectionFixture

    init() throws {
        fixture = try SectionFixture(
            inventory: "defaults: {credentials: lab, platform: cisco_ios}\ndevices:\n  - {name: r1, host: 10.0.0.1, group: core}\n")
    }

    func load(_ extra: String) throws -> Configuration { try fixture.load(extra) }

    func problems(_ extra: String) -> [String] { fixture.problems(extra, separator: " ") }

    @Test func withoutTheSectionTheRulesCategoriesApply() throws {
        let policy = try load("").verdict
        #expect(policy.sensitive.count == 5)
        #expect(policy.users.isEmpty && policy.windows.isEmpty && policy.ticketPattern == nil)
    }

    @Test func readsEveryKey() throws {
        let policy = try load(
            #"""
            verdict:
              automation_accounts: [ansible, netraven]
              ticket_pattern: '\bCHG[0-9]{5,}\b'
              users:
                - devices: [core]
                  allow: [jdoe, alice]
                - allow: [noc]
              windows:
                - name: tuesday-night
                  devices: [core]
                  cron: "0 22 * * 2"
                  duration: 4h
                  time_zone: Europe/Berlin
              sensitive:
                ignore: [crypto-keys]
                patterns:
                  routing: ['^\s*router bgp ']
                  snmp: ['^\s*snmp-server enable traps']
                exempt: [ticket]
            """#
        ).verdict
        #expect(policy.automationAccounts == ["ansible", "netraven"])
        #expect(policy.ticketPattern?.matches("per CHG12345") == true)
        #expect(policy.users == [.init(devices: ["core"], allow: ["jdoe", "alice"]), .init(allow: ["noc"])])
        #expect(policy.windows.count == 1)
        #expect(policy.windows[0].opens.timeZone.identifier == "Europe/Berlin")
        #expect(policy.windows[0].duration == .seconds(4 * 3600))
        #expect(policy.sensitive.map(\.name) == ["aaa", "users", "snmp", "management-access", "routing"])
        #expect(policy.sensitive.first { $0.name == "snmp" }?.patterns.count == 4)
        #expect(policy.sensitiveExemptions == [.ticket])
    }

    @Test func reportsMistakesWithTheirPositions() {
        let found = problems(
            """
            verdict:
              ticket_pattern: '(CHG'
              users:
                - devices: [core]
              windows:
                - name: w
                  cron: "0 25 * * *"
                  duration: 4h
                - name: w2
                  cron: "0 22 * * *"
                  duration: 0s
                  time_zone: Mars/Olympus
              sensitive:
                ignore: [nothing]
                exempt: [everyone]
              colour: red
            """)
        #expect(found.contains { $0.hasPrefix("5:19 ") && $0.contains("ticket_pattern is not a valid regular expression") })
        #expect(found.contains { $0.hasPrefix("7:7 ") && $0.contains("missing required key 'allow'") })
        #expect(found.contains { $0.hasPrefix("10:13 ") && $0.contains("not a valid cron expression") })
        #expect(found.contains { $0.hasPrefix("14:17 ") && $0.contains("must be longer than 0") })
        #expect(found.contains { $0.hasPrefix("15:18 ") && $0.contains("not a known time zone") })
        #expect(found.contains { $0.hasPrefix("17:13 ") && $0.contains("no sensitive category 'nothing'") })
        #expect(found.contains { $0.hasPrefix("18:13 ") && $0.contains("'everyone' is not automation or ticket") })
        #expect(found.contains { $0.hasPrefix("19:3 ") && $0.contains("unknown key 'colour'") })
    }
}
