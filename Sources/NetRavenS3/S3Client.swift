import Crypto
public import Foundation
public import NetRavenCore
public import NetRavenHTTP

/// Talks to one bucket of S3 or an S3-compatible store over libcurl, signing every request with AWS Signature V4
/// (`CURLOPT_AWS_SIGV4`). Transfers run on the `HTTPClient`'s own threads, never on Swift's cooperative pool.
///
/// libcurl 7.88 neither adds `x-amz-content-sha256` nor sorts the query before signing: every request carries
/// the body's SHA-256 and a sorted query, built here.
public final class S3Client: Sendable {
    /// The bucket, endpoint and upload options.
    public let settings: S3Settings
    let credentials: AWSCredentials
    let http: HTTPClient
    private let ownsHTTP: Bool

    /// A client for `settings.bucket` using `credentials`; with no `http` it makes (and shuts down) its own.
    public init(settings: S3Settings, credentials: AWSCredentials, http: HTTPClient? = nil) {
        self.settings = settings
        self.credentials = credentials
        self.http = http ?? HTTPClient(threads: 2)
        self.ownsHTTP = http == nil
    }

    /// Stops the transfer threads when the client made them.
    public func shutdown() async throws {
        if ownsHTTP { try await http.shutdown() }
    }

    // MARK: Buckets

    /// Creates the bucket (tests and first-time setup); with `objectLock` the bucket gets Object Lock (and versioning).
    public func createBucket(objectLock: Bool = false) async throws {
        var headers: [HTTPHeader] = []
        if objectLock { headers.append(HTTPHeader("x-amz-bucket-object-lock-enabled", "true")) }
        var body: [UInt8] = []
        if settings.region != "us-east-1" {
            body = Array(
                ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                    + "<LocationConstraint>\(XMLNode.escape(settings.region))</LocationConstraint>"
                    + "</CreateBucketConfiguration>").utf8)
        }
        _ = try await send(S3Request(method: "PUT", key: nil, headers: headers, body: body), what: "create bucket")
    }

    /// Turns bucket versioning on or suspends it.
    public func setVersioning(enabled: Bool) async throws {
        let body =
            "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>"
            + (enabled ? "Enabled" : "Suspended") + "</Status></VersioningConfiguration>"
        _ = try await send(
            S3Request(method: "PUT", key: nil, query: [("versioning", "")], body: Array(body.utf8)),
            what: "set versioning")
    }

    // MARK: Objects

    /// Stores `body` at `key` in one request, with the integrity headers (`x-amz-content-sha256`,
    /// `x-amz-checksum-sha256`, `Content-MD5`) and `options`.
    public func putObject(key: String, body: [UInt8], options: S3PutOptions = S3PutOptions()) async throws
        -> S3PutResult
    {
        var headers = options.headers()
        headers.append(HTTPHeader("Content-MD5", Data(Insecure.MD5.hash(data: body)).base64EncodedString()))
        headers.append(HTTPHeader("x-amz-checksum-sha256", Data(SHA256.hash(data: body)).base64EncodedString()))
        headers.append(HTTPHeader("x-amz-sdk-checksum-algorithm", "SHA256"))
        let response = try await send(
            S3Request(method: "PUT", key: key, headers: headers, body: body, contentType: options.contentType),
            what: "PUT \(key)")
        return S3PutResult(response: response)
    }

    /// The object's size, metadata, checksum and version, without its body.
    /// - Throws: `S3Error` `.notFound` when there is no such object (or version).
    public func headObject(key: String, versionID: String? = nil) async throws -> S3ObjectHead {
        let response = try await send(
            S3Request(
                method: "HEAD", key: key, query: versionID.map { [("versionId", $0)] } ?? [],
                headers: [HTTPHeader("x-amz-checksum-mode", "ENABLED")]),
            what: "HEAD \(key)")
        return S3ObjectHead(response: response)
    }

    /// The object's bytes and what HEAD would say.
    public func getObject(key: String, versionID: String? = nil) async throws -> (head: S3ObjectHead, body: [UInt8]) {
        let response = try await send(
            S3Request(method: "GET", key: key, query: versionID.map { [("versionId", $0)] } ?? []),
            what: "GET \(key)")
        return (S3ObjectHead(response: response), response.body)
    }

    /// Deletes the object, or one version of it. Deleting what does not exist succeeds (S3's own semantics).
    public func deleteObject(key: String, versionID: String? = nil) async throws {
        _ = try await send(
            S3Request(method: "DELETE", key: key, query: versionID.map { [("versionId", $0)] } ?? []),
            what: "DELETE \(key)")
    }

    // MARK: Requests

    /// Signs and sends `request`; an error status becomes an `S3Error` (S3's XML error parsed when present).
    func send(_ request: S3Request, what: String) async throws -> HTTPResponse {
        let body = request.body
        var headers = request.headers
        headers.append(HTTPHeader("Content-Type", request.contentType))
        headers.append(HTTPHeader("x-amz-content-sha256", Self.hex(SHA256.hash(data: body))))
        if let token = credentials.sessionToken { headers.append(HTTPHeader("x-amz-security-token", token.value)) }
        let url = S3URL(settings: settings).url(key: request.key, query: request.query)
        let httpRequest = HTTPRequest(
            method: request.method, url: url, headers: headers, body: body, timeout: settings.timeout,
            credentials: .init(user: credentials.accessKeyID, password: credentials.secretAccessKey.value),
            awsSigV4: "aws:amz:\(settings.region):s3", maximumResponseBytes: Int(Int32.max))
        let response: HTTPResponse
        do {
            response = try await http.send(httpRequest)
        } catch let error as HTTPError {
            throw S3Error(error.code.isTransient ? .transient : .invalidRequest, "\(what): \(error.message)")
        }
        guard (200..<300).contains(response.status) else {
            throw Self.error(status: response.status, body: response.body, what: what)
        }
        return response
    }

    /// The error for an error response: S3's XML `<Error>` when present, else the status alone (HEAD has no body).
    static func error(status: Int, body: [UInt8], what: String) -> S3Error {
        let document = body.isEmpty ? nil : XMLNode.parse(body)
        let s3Code = document?.value("Code")
        let code = S3Error.classify(status: status, s3Code: s3Code)
        var message = "\(what): HTTP \(status)"
        if let s3Code { message += " \(s3Code)" }
        if let text = document?.value("Message"), !text.isEmpty { message += ": \(text)" }
        if let bucket = document?.value("BucketName") { message += " (bucket \(bucket))" }
        return S3Error(code, message, status: status, s3Code: s3Code)
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

/// One request before signing: the key (nil = the bucket itself), query, headers and body.
struct S3Request {
    var method: String
    var key: String?
    var query: [(String, String)] = []
    var headers: [HTTPHeader] = []
    var body: [UInt8] = []
    /// moto swallows bodies sent with a form content type, and curl adds one to every POST and PUT: always set.
    var contentType = "application/octet-stream"
}

extension S3Client {
    /// A client for `settings` with credentials found the standard way (`AWSCredentials.resolve`).
    /// - Throws: `S3Error` `.credentials` saying what is missing (never the secret).
    public convenience init(
        settings: S3Settings, environment: [String: String] = ProcessInfo.processInfo.environment,
        http: HTTPClient? = nil
    ) throws {
        let credentials: AWSCredentials
        do {
            credentials = try AWSCredentials.resolve(settings: settings, environment: environment)
        } catch {
            throw S3Error(.credentials, "\(error)")
        }
        self.init(settings: settings, credentials: credentials, http: http)
    }
}
