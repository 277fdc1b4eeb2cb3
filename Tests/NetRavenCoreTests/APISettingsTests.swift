import NetRavenCore
import NetRavenTestSupport
import Testing

/// The `api:` section of netraven.yaml, read with file:line:column errors.
@Suite struct APISettingsTests {
    let fixture: SectionFixture
    var directory: TemporaryDirectory { fixture.directory }
    static let hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

    init() throws {
        fixture = try SectionFixture()
        try fixture.directory.write("cert.pem", "certificate")
        try fixture.directory.write("key.pem", "key")
    }

    func load(_ api: String) throws -> Configuration { try fixture.load(api) }

    func problems(_ api: String) -> [String] { fixture.problems(api) }

    @Test func noSectionMeansNoServer() throws {
        #expect(try load("").api == nil)
    }

    @Test func fullSection() throws {
        let api = try #require(
            try load(
                """
                api:
                  listen: "0.0.0.0:8443"
                  tls: {certificate: cert.pem, key: key.pem}
                  metrics: open
                  session_lifetime: 30m
                  tokens:
                    - {name: noc, sha256: \(Self.hash), scopes: [read]}
                    - {name: automation, sha256: \(Self.hash.uppercased()), scopes: [read, trigger]}
                """
            ).api)
        #expect(api.listen == ListenAddress(host: "0.0.0.0", port: 8443))
        #expect(api.tls?.certificatePath == directory.path + "/cert.pem")
        #expect(api.metrics == .open)
        #expect(api.sessionLifetime == .seconds(1800))
        #expect(api.tokens.map(\.name) == ["noc", "automation"])
        #expect(api.tokens[1].scopes == [.read, .trigger])
        #expect(api.tokens[0].sha256 == api.tokens[1].sha256)
        #expect(api.tokens[0].sha256.first == 0x9f && api.tokens[0].sha256.count == 32)
    }

    @Test func defaults() throws {
        let api = try #require(try load("api:\n  tokens: []\n").api)
        #expect(api.listen == ListenAddress(host: "127.0.0.1", port: 8080))
        #expect(api.tls == nil)
        #expect(api.metrics == .read)
    }

    @Test func mistakesAreReportedWhereTheyAre() {
        let found = problems(
            """
            api:
              listen: "localhost:80"
              metrics: sometimes
              tokens:
                - {name: noc, sha256: \(Self.hash), scopes: [read, admin]}
                - {name: ops, sha256: nrv_pasted-the-token-itself, scopes: [read]}
                - {name: noc, sha256: \(Self.hash), scopes: [read]}
                - {sha256: \(Self.hash), scopes: [read]}
              colour: blue
            """)
        #expect(found.contains { $0.hasPrefix("5:") && $0.contains("listen") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("6:") && $0.contains("'open'") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("9:") && $0.contains("64 hex digits") }, "\(found)")
        #expect(!found.contains { $0.contains("nrv_pasted") }, "a pasted token is never echoed")
        #expect(found.contains { $0.hasPrefix("8:") && $0.contains("admin") }, "\(found)")
        #expect(found.contains { $0.contains("'noc' is used twice") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("11:") && $0.contains("name") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("12:") && $0.contains("colour") }, "\(found)")
    }
}
