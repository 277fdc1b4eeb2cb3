import Foundation
import NetRavenCore
import NetRavenHTTP
import NetRavenS3
import NetRavenTestSupport
import Testing

/// A moto_server with signature checking on, an IAM user allowed everything, and a fresh bucket.
///
/// moto checks signatures only once IAM is in use: it serves the first three requests unauthenticated (create the
/// user, give it a policy, create its key — signed with our own client anyway) and verifies every later one.
final class S3Fixture {
    let server: MotoServer
    let http: HTTPClient
    let credentials: AWSCredentials
    let bucket: String

    static let iamRequests = 3

    private init(server: MotoServer, http: HTTPClient, credentials: AWSCredentials, bucket: String) {
        self.server = server
        self.http = http
        self.credentials = credentials
        self.bucket = bucket
    }

    /// Runs `body` with a fixture whose bucket exists (versioned when asked), and always stops the server.
    static func with(
        versioning: Bool = false, objectLock: Bool = false, _ body: (S3Fixture) async throws -> Void
    ) async throws {
        let server = try await MotoServer.start(noAuthActions: iamRequests)
        let http = HTTPClient(threads: 2)
        do {
            let credentials = try await createIAMUser(endpoint: server.endpoint, http: http)
            let fixture = S3Fixture(
                server: server, http: http, credentials: credentials,
                bucket: "netraven-\(UUID().uuidString.prefix(8).lowercased())")
            let client = fixture.client()
            try await client.createBucket(objectLock: objectLock)
            if versioning { try await client.setVersioning(enabled: true) }
            try await body(fixture)
            try await http.shutdown()
            server.stop()
        } catch {
            try? await http.shutdown()
            server.stop()
            throw error
        }
    }

    /// Settings for the fixture's bucket under `prefix`.
    func settings(prefix: String = "configs") -> S3Settings {
        var settings = S3Settings(bucket: bucket, endpoint: server.endpoint)
        settings.prefix = prefix
        return settings
    }

    /// A client with the fixture's key (or `credentials`), sharing the fixture's transfer threads.
    func client(_ settings: S3Settings? = nil, credentials: AWSCredentials? = nil) -> S3Client {
        S3Client(settings: settings ?? self.settings(), credentials: credentials ?? self.credentials, http: http)
    }

    /// IAM CreateUser, PutUserPolicy (everything allowed) and CreateAccessKey, signed for the `iam` service.
    private static func createIAMUser(endpoint: String, http: HTTPClient) async throws -> AWSCredentials {
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
        let calls: [[(String, String)]] = [
            [("Action", "CreateUser"), ("UserName", "netraven")],
            [("Action", "PutUserPolicy"), ("UserName", "netraven"), ("PolicyName", "all"), ("PolicyDocument", policy)],
            [("Action", "CreateAccessKey"), ("UserName", "netraven")],
        ]
        var last = ""
        for call in calls {
            let form = (call + [("Version", "2010-05-08")])
                .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
                .joined(separator: "&")
            let response = try await http.send(
                HTTPRequest(
                    method: "POST", url: endpoint + "/",
                    headers: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8),
                    credentials: .init(user: "AKIAIOSFODNN7EXAMPLE", password: "bootstrap-secret"),
                    awsSigV4: "aws:amz:us-east-1:iam"))
            try #require(response.status == 200, "IAM \(call[0].1): \(response.status) \(response.text)")
            last = response.text
        }
        func element(_ name: String) throws -> String {
            let start = try #require(last.range(of: "<\(name)>"), "no \(name) in \(last)")
            let end = try #require(last.range(of: "</\(name)>", range: start.upperBound..<last.endIndex))
            return String(last[start.upperBound..<end.lowerBound])
        }
        return AWSCredentials(
            accessKeyID: try element("AccessKeyId"), secretAccessKey: Secret(try element("SecretAccessKey")),
            source: "moto IAM")
    }
}
