import Foundation
import Hummingbird
import NetRavenCore
import NetRavenJournal

/// The JSON API under `/api/v1`, health checks and `/metrics` (docs/api.md, docs/openapi.yaml).
struct APIRoutes: Sendable {
    let queries: StatusQueries
    let access: APIAccess

    func add(to router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in JSONText.text("ok\n") }
        router.get("/readyz") { _, _ in try await readiness() }
        router.get("/metrics") { request, _ in
            if access.metrics == .read { try access.requireBearer(request, scope: .read) }
            return JSONText.text(queries.backend.metrics(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }

        let api = router.group("/api/v1")
        api.get("/devices") { request, _ in
            try access.requireBearer(request, scope: .read)
            return try JSONText.response(APIModels.DeviceList(devices: try await queries.devices()))
        }
        api.get("/devices/{name}") { request, context in
            try access.requireBearer(request, scope: .read)
            return try JSONText.response(try await queries.detail(of: try context.parameters.require("name")))
        }
        api.get("/devices/{name}/versions") { request, context in
            try access.requireBearer(request, scope: .read)
            let device = try queries.device(named: try context.parameters.require("name"))
            let limit = try Self.integer(request, "limit", default: 50, range: 1...500)
            let offset = try Self.integer(request, "offset", default: 0, range: 0...1_000_000)
            return try JSONText.response(try await queries.versions(of: device, offset: offset, limit: limit))
        }
        api.get("/devices/{name}/versions/{rev}") { request, context in
            try access.requireBearer(request, scope: .read)
            let device = try queries.device(named: try context.parameters.require("name"))
            return JSONText.text(
                try await queries.configuration(of: device, revision: try context.parameters.require("rev")))
        }
        api.get("/devices/{name}/diff") { request, context in
            try access.requireBearer(request, scope: .read)
            let device = try queries.device(named: try context.parameters.require("name"))
            let query = request.uri.queryParameters
            let diff = try await queries.diff(
                of: device, from: query.get("from"), to: query.get("to"))
            return JSONText.text(diff, contentType: "text/x-diff; charset=utf-8")
        }
        api.post("/devices/{name}/capture") { request, context in
            try access.requireBearer(request, scope: .trigger)
            let device = try queries.device(named: try context.parameters.require("name"))
            return try JSONText.response(try await queries.capture(device), status: .accepted)
        }
        api.post("/sweep") { request, _ in
            try access.requireBearer(request, scope: .trigger)
            var captures: [APIModels.CaptureAccepted] = []
            for device in queries.backend.service.configuration.devices {
                captures.append(try await queries.capture(device))
            }
            return try JSONText.response(APIModels.SweepAccepted(captures: captures), status: .accepted)
        }
        api.get("/jobs/{id}") { request, context in
            try access.requireBearer(request, scope: .read)
            return try JSONText.response(try await queries.job(id: try context.parameters.require("id")))
        }
        api.get("/events") { request, _ in
            try access.requireBearer(request, scope: .read)
            let limit = try Self.integer(request, "limit", default: 50, range: 1...500)
            let before = try request.uri.queryParameters.get("before").map { text -> Int64 in
                guard let value = Int64(text), value > 0 else {
                    throw APIError(.badRequest, "before must be a positive whole number (a page's next_before)")
                }
                return value
            }
            let page = try await queries.events(before: before, limit: limit)
            return try JSONText.response(page)
        }
        api.post("/login-links") { request, _ in
            let token = try access.requireBearer(request, scope: .read)
            let link = access.sessions.newLink(for: token)
            return try JSONText.response(
                APIModels.LoginLink(url: "/login/link/\(link.id)", expiresAt: link.expires), status: .created)
        }
    }

    private func readiness() async throws -> Response {
        var problems: [String: String] = [:]
        for check in queries.backend.readiness {
            if let problem = await check.check() { problems[check.name] = problem }
        }
        var checks: [String: String] = [:]
        for check in queries.backend.readiness { checks[check.name] = problems[check.name] ?? "ok" }
        return try JSONText.response(
            APIModels.Readiness(ready: problems.isEmpty, checks: checks),
            status: problems.isEmpty ? .ok : .serviceUnavailable)
    }

    /// A whole-number query parameter in `range`, or the default when absent.
    static func integer(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = request.uri.queryParameters.get(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw APIError(
                .badRequest,
                "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), "
                    + "found '\(text.prefix(40))'"
            )
        }
        return number
    }
}

extension StatusQueries {
    func events(before: Int64?, limit: Int) async throws -> APIModels.EventPageView {
        let page: EventPage
        do {
            page = try await backend.journal.events(before: before, limit: limit)
        } catch let error as JournalError {
            throw APIError(.internalError, "the journal failed: \(error.message)")
        }
        return APIModels.EventPageView(
            events: page.events.map { APIModels.event($0.event, journaled: $0) }, nextBefore: page.nextBefore)
    }
}
