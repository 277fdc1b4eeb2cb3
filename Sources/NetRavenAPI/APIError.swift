public import Hummingbird
import NIOCore

/// Why an API request failed; rendered as `{"error": "..."}` with the status its code maps to.
///
/// Messages say what was wrong with the request (which parameter, which device); they never hold a token.
public struct APIError: HTTPResponseError, CustomStringConvertible {
    /// The failure class; an extensible struct so later routes can add classes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case badRequest, unauthorized, forbidden, notFound, unavailable, internalError
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The request is malformed (a parameter out of range, a revision that is no revision).
        public static let badRequest = Code(.badRequest)
        /// No token, or one the configuration does not know (401 with `WWW-Authenticate: Bearer`).
        public static let unauthorized = Code(.unauthorized)
        /// The token lacks the scope the route needs.
        public static let forbidden = Code(.forbidden)
        /// No such device, job, revision or page.
        public static let notFound = Code(.notFound)
        /// The daemon cannot serve it now (shutting down, not ready).
        public static let unavailable = Code(.unavailable)
        /// The journal or the archive failed.
        public static let internalError = Code(.internalError)

        public var description: String { base.rawValue }

        var status: HTTPResponse.Status {
            switch base {
            case .badRequest: .badRequest
            case .unauthorized: .unauthorized
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .unavailable: .serviceUnavailable
            case .internalError: .internalServerError
            }
        }
    }

    /// The failure class.
    public var code: Code
    /// What went wrong, for the client.
    public var message: String

    /// An error of class `code`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The HTTP status of the code.
    public var status: HTTPResponse.Status { code.status }

    public var description: String { "\(code): \(message)" }

    /// The JSON body `{"error": message}`; a 401 also says how to authenticate.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if code == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"netraven\"" }
        let body = "{\"error\":" + JSONText.string(message) + "}\n"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
