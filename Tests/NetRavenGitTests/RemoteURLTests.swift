@testable import NetRavenGit
import Testing

@Suite struct RemoteURLTests {
    @Test(arguments: [
        ("ssh://git@example.net:2222/srv/archive.git", "example.net:2222"),
        ("ssh://git@Example.NET/srv/archive.git", "example.net:22"),
        ("ssh://[::1]:2200/x.git", "::1:2200"),
        ("git@example.net:archive.git", "example.net:22"),
        ("example.net:archive.git", "example.net:22"),
    ])
    func sshEndpoints(url: String, endpoint: String) {
        #expect(RemoteURL.sshEndpoint(url) == endpoint)
    }

    @Test(arguments: ["https://example.net/x.git", "file:///srv/x.git", "/srv/x.git"])
    func nonSSHURLsHaveNoEndpoint(url: String) {
        #expect(RemoteURL.sshEndpoint(url) == nil)
    }

    @Test func passwordsInURLsAreRedacted() {
        #expect(RemoteURL.redacted("https://ops:pw@host/x.git") == "https://ops:<redacted>@host/x.git")
        #expect(RemoteURL.redacted("ssh://git@host/x.git") == "ssh://git@host/x.git")
    }

    @Test func fingerprintsNormalise() {
        #expect(HostKeyVerifier.normalized("sha256:abc=") == "SHA256:abc")
        let zeros = HostKeyVerifier.fingerprint(sha256: Array(repeating: 0, count: 32))
        #expect(zeros == "SHA256:" + String(repeating: "A", count: 43))
    }
}
