import Foundation
import NetRavenTestSupport
import Testing
import Yams

/// docs/openapi.yaml lists exactly the server's routes: nothing undocumented, nothing documented that is not served.
@Suite struct OpenAPIDocumentTests {
    @Test func documentPathsAndMethodsAreExactlyTheRoutes() async throws {
        let text = try String(contentsOfFile: PackagePaths.root + "/docs/openapi.yaml", encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
        let paths = try #require(document["paths"] as? [String: Any])
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        var documented: Set<String> = []
        for (path, item) in paths {
            let operations = try #require(item as? [String: Any], "\(path)")
            for key in operations.keys where methods.contains(key) {
                documented.insert("\(key.uppercased()) \(path)")
            }
        }
        let closed = try BoundClosedPort()
        let served = try await withAPIServer(devices: unreachableDevices(["r1"], port: closed.port)) { server in
            Set(server.server.routes)
        }
        #expect(served.count > 10)
        #expect(served.subtracting(documented).sorted() == [], "routes missing from docs/openapi.yaml")
        #expect(documented.subtracting(served).sorted() == [], "documented but not served")
    }
}
