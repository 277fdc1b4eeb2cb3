import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
public import Logging
import NIOCore
import NIOSSL
public import NetRavenAgent
public import NetRavenCore
public import ServiceLifecycle

/// The HTTP API, `/metrics`, the health checks and the web status page on one Hummingbird server: a `Service` in
/// the daemon's ServiceGroup (it drains requests in flight on graceful shutdown).
public struct APIServer: Service {
    private let application: Application<RouterResponder<BasicRequestContext>>
    /// Every route as `METHOD /path` (what the OpenAPI document must list).
    public let routes: [String]

    /// A server for `settings` reading through `backend`; `onListening` gets the bound port (port 0 picks one).
    /// - Throws: `APIError(.badRequest)` when the TLS certificate or key cannot be loaded.
    public init(
        settings: APISettings, backend: APIBackend, logger: Logger,
        onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) throws {
        let access = APIAccess(
            tokens: settings.tokens, sessions: WebSessions(lifetime: settings.sessionLifetime),
            metrics: settings.metrics, secureCookies: settings.tls != nil)
        let queries = StatusQueries(backend: backend)
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ErrorBodyMiddleware(logger: logger))
        APIRoutes(queries: queries, access: access).add(to: router)
        WebRoutes(queries: queries, access: access).add(to: router)
        routes = router.routes.map { "\($0.method.rawValue) \($0.path)" }.sorted()

        let server: HTTPServerBuilder
        if let tls = settings.tls {
            server = try .tls(.http1(), tlsConfiguration: Self.tlsConfiguration(tls))
        } else {
            server = .http1()
        }
        let apiLogger = {
            var logger = logger
            logger[metadataKey: "component"] = "api"
            return logger
        }()
        let listen = settings.listen
        application = Application(
            router: router, server: server,
            configuration: ApplicationConfiguration(
                address: .hostname(listen.host, port: listen.port), serverName: "NetRaven"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? listen.port
                apiLogger.notice(
                    "api listening",
                    metadata: ["address": "\(listen.host)", "port": "\(port)", "tls": "\(settings.tls != nil)"])
                onListening(port)
            },
            logger: apiLogger)
    }

    /// Serves until graceful shutdown.
    public func run() async throws {
        try await application.run()
    }

    static func tlsConfiguration(_ tls: APISettings.TLS) throws -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(tls.certificatePath).map {
                NIOSSLCertificateSource.certificate($0)
            }
            let key = try NIOSSLPrivateKey(file: tls.keyPath, format: .pem)
            return TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        } catch {
            throw APIError(
                .badRequest,
                "cannot load the API's TLS certificate \(tls.certificatePath) or key \(tls.keyPath): \(error)")
        }
    }
}

/// Turns errors that are not `APIError` (Hummingbird's own 404 for an unknown path, a failure deep down) into the
/// API's `{"error": "..."}` body, and logs unexpected ones (never the request's headers: they hold tokens).
struct ErrorBodyMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let logger: Logger

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            throw APIError(.notFound, "no route \(request.method.rawValue) \(request.uri.path)")
        } catch let error as HTTPError {
            throw APIError(Self.code(for: error.status), error.body ?? "\(error.status.reasonPhrase)")
        } catch {
            logger.error(
                "api request failed", metadata: ["path": "\(request.uri.path)", "reason": "\(error)"])
            throw APIError(.internalError, "internal error")
        }
    }

    static func code(for status: HTTPResponse.Status) -> APIError.Code {
        switch status.code {
        case 400, 413, 414: .badRequest
        case 401: .unauthorized
        case 403: .forbidden
        case 404, 405: .notFound
        case 503: .unavailable
        default: .internalError
        }
    }
}

extension APIServer {
    /// The daemon's API server when the configuration has an `api:` section (none otherwise). `/metrics` serves
    /// `metrics`; until the daemon passes its exposition, it serves an empty one.
    public static func daemonServices(
        _ parts: Daemon.Parts, logger: Logger, metrics: @escaping @Sendable () -> String = { "" }
    ) throws -> [any Service] {
        guard let settings = parts.configuration.api else { return [] }
        return [try APIServer(settings: settings, backend: APIBackend(daemon: parts, metrics: metrics), logger: logger)]
    }
}
