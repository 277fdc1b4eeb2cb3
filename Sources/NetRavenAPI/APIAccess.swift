import Foundation
import Hummingbird
import NetRavenCore

/// Who may do what: bearer tokens for the API, session cookies for the web page.
struct APIAccess: Sendable {
    /// The session cookie's name.
    static let cookieName = "netraven_session"

    let tokens: [APISettings.Token]
    let sessions: WebSessions
    let metrics: APISettings.MetricsAccess
    /// Cookies get `Secure` when the server speaks TLS.
    let secureCookies: Bool

    /// The token presented as `Authorization: Bearer ...`, which must have `scope`.
    /// - Throws: `APIError` 401 without a token or with an unknown one, 403 without the scope.
    @discardableResult
    func requireBearer(_ request: Request, scope: APISettings.Scope) throws -> APISettings.Token {
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, "this route needs a token: send 'Authorization: Bearer <token>'")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError(.unauthorized, "the Authorization header must be 'Bearer <token>'")
        }
        guard let token = APIToken.match(String(parts[1]).trimmingCharacters(in: .whitespaces), in: tokens) else {
            throw APIError(.unauthorized, "the token is not accepted")
        }
        guard token.scopes.contains(scope) else {
            throw APIError(.forbidden, "the token '\(token.name)' lacks the '\(scope.rawValue)' scope")
        }
        return token
    }

    /// The live web session the request's cookie names, with its id.
    func session(_ request: Request) -> (id: String, session: WebSessions.Session)? {
        guard let id = request.cookies[Self.cookieName]?.value, let session = sessions.session(id) else { return nil }
        return (id, session)
    }

    /// `Set-Cookie` for a new session: HttpOnly (no script reads it), SameSite=Strict (no other site sends it).
    func sessionCookie(_ id: String) -> String {
        "\(Self.cookieName)=\(id); Path=/; HttpOnly; SameSite=Strict" + (secureCookies ? "; Secure" : "")
    }

    /// `Set-Cookie` that removes the session cookie.
    func expiredCookie() -> String {
        "\(Self.cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secureCookies ? "; Secure" : "")
    }
}
