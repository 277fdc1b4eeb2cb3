import Foundation
import Hummingbird
import NetRavenCore
import NetRavenJournal

/// The web status page: server-rendered HTML, no JavaScript; a login form turns an API token into a session
/// cookie (see docs/web.md).
struct WebRoutes: Sendable {
    let queries: StatusQueries
    let access: APIAccess

    func add(to router: Router<BasicRequestContext>) {
        router.get("/") { request, _ in
            try await page(request) { user in
                try await devicesPage(user: user)
            }
        }
        router.get("/devices/{name}") { request, context in
            let name = try context.parameters.require("name")
            let canTrigger = access.session(request)?.session.scopes.contains(.trigger) ?? false
            return try await page(request) { user in
                try await devicePage(
                    name: name, revision: request.uri.queryParameters.get("rev"), user: user, canTrigger: canTrigger)
            }
        }
        router.post("/devices/{name}/capture") { request, context in
            guard let session = access.session(request)?.session else { return Self.redirect("/login") }
            let name = try context.parameters.require("name")
            guard session.scopes.contains(.trigger) else {
                throw APIError(.forbidden, "the token '\(session.tokenName)' lacks the 'trigger' scope")
            }
            _ = try await queries.capture(try queries.device(named: name))
            return Self.redirect("/devices/\(HTML.pathSegment(name))")
        }
        router.get("/activity") { request, _ in
            try await page(request) { user in try await activityPage(user: user) }
        }
        router.get("/login") { _, _ in
            Self.html(HTML.page(title: "Log in", user: nil, body: Self.loginForm(problem: nil)))
        }
        router.post("/login") { request, _ in
            let body = try await request.body.collect(upTo: 16 * 1024)
            let form = Self.formFields(String(buffer: body))
            guard let presented = form["token"], let token = APIToken.match(presented, in: access.tokens),
                token.scopes.contains(.read)
            else {
                var response = Self.html(
                    HTML.page(
                        title: "Log in", user: nil,
                        body: Self.loginForm(problem: "That token is not accepted (it needs the read scope).")))
                response.status = .unauthorized
                return response
            }
            return Self.redirect("/", cookie: access.sessionCookie(access.sessions.open(for: token)))
        }
        router.get("/login/link/{id}") { request, context in
            let id = try context.parameters.require("id")
            guard let session = access.sessions.redeem(link: id) else {
                var response = Self.html(
                    HTML.page(
                        title: "Log in", user: nil, body: Self.loginForm(problem: "That login link is used or expired.")
                    ))
                response.status = .unauthorized
                return response
            }
            return Self.redirect(
                Self.localPath(request.uri.queryParameters.get("next")),
                cookie: access.sessionCookie(session))
        }
        router.post("/logout") { request, _ in
            if let id = access.session(request)?.id { access.sessions.close(id) }
            return Self.redirect("/login", cookie: access.expiredCookie())
        }
    }

    // MARK: Pages

    /// Renders a page for a logged-in user, or sends the browser to the login form.
    private func page(_ request: Request, _ render: (String) async throws -> String) async throws -> Response {
        guard let session = access.session(request)?.session else { return Self.redirect("/login") }
        do {
            return Self.html(try await render(session.tokenName))
        } catch let error as APIError {
            var response = Self.html(
                HTML.page(
                    title: "Problem", user: session.tokenName,
                    body: "<h1>\(HTML.escape(error.code == .notFound ? "Not found" : "Problem"))</h1>"
                        + "<p>\(HTML.escape(error.message))</p>"))
            response.status = error.status
            return response
        }
    }

    private func devicesPage(user: String) async throws -> String {
        let devices = try await queries.devices()
        var rows = ""
        for device in devices {
            let failure =
                device.lastFailure.map {
                    "<span class=\"bad\">\(HTML.escape($0.`class`))</span> \(HTML.escape($0.reason ?? ""))"
                } ?? "<span class=\"ok\">none</span>"
            rows += """
                <tr class="device-row" data-device="\(HTML.escape(device.name))">
                <td><a href="/devices/\(HTML.pathSegment(device.name))">\(HTML.escape(device.name))</a></td>
                <td>\(HTML.escape(device.group))</td><td>\(HTML.escape(device.platform))</td>
                <td>\(HTML.escape(device.state))</td><td>\(HTML.date(device.lastCapture))</td>
                <td>\(HTML.date(device.lastChange))</td><td>\(Self.verdict(device.lastVerdict))</td>
                <td>\(failure)</td></tr>
                """
        }
        let body = """
            <h1>Devices</h1>
            <table id="devices"><thead><tr><th>Device</th><th>Group</th><th>Platform</th><th>State</th>
            <th>Last capture</th><th>Last change</th><th>Verdict</th><th>Errors</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return HTML.page(title: "Devices", user: user, body: body)
    }

    /// `canTrigger`: the session's token has the `trigger` scope; a read-only session is not offered a button that
    /// would only answer 403.
    private func devicePage(name: String, revision: String?, user: String, canTrigger: Bool) async throws -> String {
        let detail = try await queries.detail(of: name)
        let device = try queries.device(named: name)
        let history = try await queries.versions(of: device, offset: 0, limit: 50).versions
        let selected =
            try revision.map { try StatusQueries.checkRevision($0, parameter: "rev") } ?? history.first?.commit
        var diff = ""
        if let selected { diff = try await queries.diff(of: device, from: nil, to: selected) }
        let link = "/devices/\(HTML.pathSegment(device.name))"
        var versionRows = ""
        for version in history {
            let mark = version.commit == selected ? " class=\"selected\"" : ""
            versionRows += """
                <tr\(mark)><td><a href="\(link)?rev=\(version.commit)">
                <code>\(HTML.escape(version.shortCommit))</code></a></td>
                <td>\(HTML.date(version.date))</td><td>\(HTML.escape(version.trigger ?? "—"))</td>
                <td>\(HTML.escape(version.changedBy ?? "—"))</td><td>\(HTML.escape(version.summary))</td></tr>
                """
        }
        let jobs = Self.jobRows(detail.recentJobs)
        let view = detail.device
        let captureForm =
            canTrigger
            ? "<form method=\"post\" action=\"\(link)/capture\"><button type=\"submit\">Capture now</button></form>"
            : "<p class=\"muted\">Read-only session: capturing needs a token with the trigger scope.</p>"
        let body = """
            <h1>\(HTML.escape(view.name))</h1>
            <p>\(HTML.escape(view.platform)) · group \(HTML.escape(view.group))
            · \(HTML.escape(detail.host)):\(detail.port)
            · state <strong>\(HTML.escape(view.state))</strong> · verdict \(Self.verdict(view.lastVerdict))</p>
            \(captureForm)
            <h2>History</h2>
            <table id="history"><thead><tr><th>Commit</th><th>Date</th><th>Trigger</th><th>Changed by</th>
            <th>Summary</th></tr></thead><tbody>\(versionRows)</tbody></table>
            <h2>Diff\(selected.map { " of <code>\(HTML.escape(String($0.prefix(12))))</code>" } ?? "")</h2>
            \(selected == nil ? "<p class=\"muted\">No versions stored yet.</p>" : HTML.diff(diff))
            <h2>Recent jobs</h2>\(jobs)
            """
        return HTML.page(title: view.name, user: user, body: body)
    }

    private func activityPage(user: String) async throws -> String {
        let events = try await queries.events(before: nil, limit: 50).events
        let jobs: [JournaledJob]
        do {
            jobs = try await queries.backend.journal.jobs(device: nil, state: nil, limit: 50)
        } catch let error as JournalError {
            throw APIError(.internalError, "the journal failed: \(error.message)")
        }
        var eventRows = ""
        for event in events {
            eventRows += """
                <tr><td>\(HTML.date(event.receivedAt ?? event.time))</td>
                <td><a href="/devices/\(HTML.pathSegment(event.device))">\(HTML.escape(event.device))</a></td>
                <td>\(HTML.escape(event.kind))</td><td>\(HTML.escape(event.user ?? "—"))</td>
                <td>\(HTML.escape(event.source ?? "—"))</td><td><code>\(HTML.escape(event.raw ?? ""))</code></td></tr>
                """
        }
        let body = """
            <h1>Recent events</h1>
            <table id="events"><thead><tr><th>Received</th><th>Device</th><th>Kind</th><th>User</th><th>Source</th>
            <th>Message</th></tr></thead><tbody>\(eventRows)</tbody></table>
            <h1>Recent jobs</h1>\(Self.jobRows(jobs.map(APIModels.job)))
            """
        return HTML.page(title: "Events and jobs", user: user, body: body)
    }

    // MARK: Pieces

    private static func jobRows(_ jobs: [APIModels.JobSummary]) -> String {
        var rows = ""
        for job in jobs {
            let stateClass = job.state == "failed" ? "bad" : (job.state == "committed" ? "ok" : "muted")
            let result = job.failureClass.map { "\($0): \(job.failureReason ?? "")" } ?? job.commit ?? ""
            rows += """
                <tr><td><code>\(HTML.escape(job.id))</code></td>
                <td><a href="/devices/\(HTML.pathSegment(job.device))">\(HTML.escape(job.device))</a></td>
                <td>\(HTML.escape(job.trigger))</td><td class="\(stateClass)">\(HTML.escape(job.state))</td>
                <td>\(HTML.date(job.finishedAt ?? job.startedAt ?? job.createdAt))</td>
                <td>\(HTML.escape(result))</td></tr>
                """
        }
        return """
            <table class="jobs"><thead><tr><th>Job</th><th>Device</th><th>Trigger</th><th>State</th><th>When</th>
            <th>Result</th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }

    private static func verdict(_ verdict: APIModels.Verdict?) -> String {
        guard let verdict else { return "<span class=\"muted\">—</span>" }
        let style = verdict.kind == "unexpected" ? "bad" : "ok"
        let reasons = verdict.reasons.map(\.code).joined(separator: ", ")
        return "<span class=\"\(style)\" title=\"\(HTML.escape(reasons))\">\(HTML.escape(verdict.kind))</span>"
    }

    private static func loginForm(problem: String?) -> String {
        """
        <h1>Log in</h1>
        \(problem.map { "<p class=\"bad\">\(HTML.escape($0))</p>" } ?? "")
        <form method="post" action="/login"><label>API token (read scope)<br>
        <input type="password" name="token" autocomplete="current-password" required></label>
        <p><button type="submit">Log in</button></p></form>
        <p class="muted">The token is checked once; the browser keeps only a session cookie.</p>
        """
    }

    static func html(_ text: String) -> Response {
        JSONText.text(text, contentType: "text/html; charset=utf-8")
    }

    static func redirect(_ location: String, cookie: String? = nil) -> Response {
        var headers: HTTPFields = [.location: location]
        if let cookie { headers[.setCookie] = cookie }
        return Response(status: .seeOther, headers: headers)
    }

    /// Only a path on this server: a login link must not send the browser elsewhere.
    static func localPath(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }

    /// `application/x-www-form-urlencoded` fields.
    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}
