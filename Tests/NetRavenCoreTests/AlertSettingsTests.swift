import NetRavenCore
import NetRavenTestSupport
import Testing

/// The `alerts:` section of netraven.yaml, read with file:line:column errors and secrets resolved.
@Suite struct AlertSettingsTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
        try directory.write("credentials.yaml", "credentials:\n  lab:\n    username: admin\n    passwords: [x]\n")
        try directory.write("smtp-password", "mail-pw-123\n")
        try directory.write(
            "inventory.yaml",
            """
            defaults: {credentials: lab, platform: cisco_ios}
            devices:
              - {name: r1, host: 10.0.0.1, group: core}
              - {name: r2, host: 10.0.0.2, group: edge}
            """)
    }

    func load(_ alerts: String) throws -> Configuration {
        let main = try directory.write(
            "netraven.yaml", "state_dir: state\ninventory: inventory.yaml\ncredentials: credentials.yaml\n" + alerts)
        return try ConfigurationLoader(rulesDirectoryOverride: repositoryRules, environment: ["HOOK_TOKEN": "tok-456"])
            .load(path: main)
    }

    func problems(_ alerts: String) -> [String] {
        do {
            _ = try load(alerts)
            return []
        } catch let error as DiagnosticError {
            return error.diagnostics.map { "\($0.line):\($0.column): \($0.message)" }
        } catch {
            return ["\(error)"]
        }
    }

    @Test func noSectionMeansNoAlerts() throws {
        let alerts = try load("").alerts
        #expect(alerts.destinations.isEmpty && alerts.routes.isEmpty)
        #expect(alerts.grouping == AlertGrouping(window: .seconds(30), maxPerMinute: 20))
    }

    @Test func fullSection() throws {
        let alerts = try load(
            """
            alerts:
              grouping: {window: 45s, max_per_minute: 10}
              destinations:
                noc-hook:
                  type: webhook
                  url: "https://hooks.example.net/netraven"
                  headers: {X-Team: noc}
                  bearer_token: env:HOOK_TOKEN
                noc-slack:
                  type: slack
                  url: "https://hooks.slack.com/services/T000/B000/XXXX"
                  max_diff_lines: 25
                  grouping: {window: 10s}
                noc-mail:
                  type: email
                  url: "smtp://mail.example.net:587"
                  username: netraven
                  password: file:\(directory.path)/smtp-password
                  from: netraven@example.net
                  to: [noc@example.net, oncall@example.net]
                ticket:
                  type: exec
                  command: [/bin/sh, -c, "cat > /dev/null"]
                  environment: {QUEUE: network}
                  timeout: 10s
                siem:
                  type: syslog
                  host: 192.0.2.10
                  port: 6514
                  transport: tcp
                  facility: local3
              routes:
                - name: core pager
                  verdict: unexpected
                  groups: [core]
                  min_severity: critical
                  destinations: [noc-mail]
                  continue: false
                - verdict: [unexpected]
                  destinations: [noc-slack, noc-hook]
                - failures:
                    unreachable: {after: 3, recovery: true}
                    host_key_changed:
                  destinations: noc-slack
                - failures: [authentication_failed, outbox_stuck]
                  tags: [dc1]
                  destinations: [ticket, siem]
            """
        ).alerts
        #expect(alerts.grouping == AlertGrouping(window: .seconds(45), maxPerMinute: 10))
        #expect(alerts.destinations.count == 5)
        guard case .webhook(let hook) = alerts.destinations["noc-hook"]?.kind else {
            Issue.record("noc-hook is not a webhook")
            return
        }
        #expect(hook.url.value == "https://hooks.example.net/netraven")
        #expect(hook.bearerToken?.value == "tok-456")
        #expect(hook.headers == ["X-Team": "noc"])
        guard case .slack(let slack) = alerts.destinations["noc-slack"]?.kind else { return }
        #expect(slack.maxDiffLines == 25)
        #expect(alerts.groupings["noc-slack"] == AlertGrouping(window: .seconds(10), maxPerMinute: 10))
        guard case .email(let mail) = alerts.destinations["noc-mail"]?.kind else { return }
        #expect(mail.security == .starttls)
        #expect(mail.password?.value == "mail-pw-123")
        #expect(mail.to == ["noc@example.net", "oncall@example.net"])
        guard case .exec(let exec) = alerts.destinations["ticket"]?.kind else { return }
        #expect(exec.command == ["/bin/sh", "-c", "cat > /dev/null"] && exec.environment == ["QUEUE": "network"])
        guard case .syslog(let siem) = alerts.destinations["siem"]?.kind else { return }
        #expect(siem.transport == .tcp && siem.facility == 19 && siem.port == 6514 && siem.severity == nil)

        #expect(alerts.routes.count == 4)
        #expect(alerts.routes[0].name == "core pager" && !alerts.routes[0].continueMatching)
        #expect(alerts.routes[0].minimumSeverity == .critical && alerts.routes[0].groups == ["core"])
        #expect(alerts.routes[1].verdicts == [.unexpected] && alerts.routes[1].name == "routes[1]")
        #expect(alerts.routes[2].failures[.unreachable] == AlertRoute.FailureMatch(after: 3, recovery: true))
        #expect(alerts.routes[2].failures[.hostKeyChanged] == AlertRoute.FailureMatch())
        #expect(alerts.routes[2].destinations == ["noc-slack"])
        #expect(Set(alerts.routes[3].failures.keys) == [.authenticationFailed, .outboxStuck])
    }

    @Test func mistakesAreReportedWhereTheyAre() {
        let found = problems(
            """
            alerts:
              grouping: {window: 2h, max_per_minute: lots}
              destinations:
                a: {type: pager}
                b: {type: webhook, url: "ftp://x"}
                c: {type: slack, url: env:MISSING_SLACK_URL}
                d: {type: email, url: "smtp://mail.example.net", from: nobody, to: []}
                e: {type: syslog, host: h, facility: local9, severity: loud, transport: sctp}
                f: {type: exec, command: [/no/such/program]}
                g: {type: webhook, url: "https://x", max_diff_lines: 3}
              routes:
                - verdict: surprising
                  failures: {unreachable: {after: 0}, on_fire: {}}
                  groups: [nowhere]
                  min_severity: loud
                  destinations: [b, nope]
                - {verdict: unexpected}
            """)
        let expected = [
            "5:22: alerts.grouping.window must be at most 1h",
            "5:42: alerts.grouping.max_per_minute must be a whole number, found 'lots'",
            "7:15: alerts.destinations.a.type must be one of email, exec, slack, syslog, webhook, found 'pager'",
            "8:29: alerts.destinations.b.url must be an http:// or https:// URL",
            "9:27: environment variable MISSING_SLACK_URL is not set",
            "10:60: 'nobody' is not an e-mail address",
            "10:72: alerts.destinations.d.to must name at least one recipient",
        ]
        for line in expected {
            #expect(found.contains(line), "missing: \(line) in \(found.joined(separator: "\n"))")
        }
        let fragments = [
            "facility must be a facility name", "severity must be a severity name", "transport must be udp or tcp",
            "/no/such/program is not an executable file", "key 'max_diff_lines' does not apply to a webhook",
            "must be expected or unexpected, found 'surprising'", "after must be between 1 and 10000",
            "unknown failure class 'on_fire'", "no device is in group 'nowhere'",
            "min_severity must be info, warning or critical", "no destination called 'nope'",
            "missing required key 'destinations'",
        ]
        for fragment in fragments {
            #expect(
                found.contains { $0.contains(fragment) }, "missing: \(fragment) in \(found.joined(separator: "\n"))")
        }
        #expect(!found.joined().contains("tok-456"))
    }

    @Test func plainSMTPOnlyToALocalRelay() throws {
        let alerts = try load(
            """
            alerts:
              destinations:
                relay: {type: email, url: "smtp://127.0.0.1:25", from: a@example.net, to: b@example.net}
                secure: {type: email, url: "smtps://mail.example.net", from: a@example.net, to: b@example.net}
            """
        ).alerts
        guard case .email(let relay) = alerts.destinations["relay"]?.kind,
            case .email(let secure) = alerts.destinations["secure"]?.kind
        else {
            Issue.record("not e-mail destinations")
            return
        }
        #expect(relay.security == .none && secure.security == .tls)
    }
}
