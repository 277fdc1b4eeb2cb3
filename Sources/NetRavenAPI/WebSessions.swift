import Foundation
import NetRavenCore
import Synchronization

/// Web page logins: opaque session ids (the cookie never holds the token) and one-time login links.
///
/// Sessions live in memory: a daemon restart logs everyone out, which is the safe direction.
final class WebSessions: Sendable {
    struct Session: Sendable {
        var tokenName: String
        var scopes: Set<APISettings.Scope>
        var expires: ContinuousClock.Instant
    }

    private let sessions = Mutex<[String: Session]>([:])
    private let links = Mutex<[String: Session]>([:])
    private let lifetime: Duration
    /// One-time login links are for a browser started right away (scripts, tests): a minute is plenty.
    static let linkLifetime: Duration = .seconds(60)

    init(lifetime: Duration) {
        self.lifetime = lifetime
    }

    /// A new session for a token; returns its id for the cookie.
    func open(for token: APISettings.Token) -> String {
        let id = Self.newID()
        let session = Session(tokenName: token.name, scopes: token.scopes, expires: .now + lifetime)
        sessions.withLock { table in
            table = table.filter { $0.value.expires > .now }
            table[id] = session
        }
        return id
    }

    /// The live session with this id.
    func session(_ id: String) -> Session? {
        sessions.withLock { table in
            guard let session = table[id] else { return nil }
            guard session.expires > .now else {
                table[id] = nil
                return nil
            }
            return session
        }
    }

    func close(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    /// A one-time login link's secret for a token.
    func newLink(for token: APISettings.Token) -> (id: String, expires: Date) {
        let id = Self.newID()
        links.withLock { table in
            table = table.filter { $0.value.expires > .now }
            table[id] = Session(tokenName: token.name, scopes: token.scopes, expires: .now + Self.linkLifetime)
        }
        return (id, Date().addingTimeInterval(Double(Self.linkLifetime.components.seconds)))
    }

    /// Spends a login link: a new session id, or nil when the link is unknown, used or expired.
    func redeem(link id: String) -> String? {
        guard let link = links.withLock({ $0.removeValue(forKey: id) }), link.expires > .now else { return nil }
        let session = Session(tokenName: link.tokenName, scopes: link.scopes, expires: .now + lifetime)
        let sessionID = Self.newID()
        sessions.withLock { $0[sessionID] = session }
        return sessionID
    }

    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return APIToken.base64URL((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
}
