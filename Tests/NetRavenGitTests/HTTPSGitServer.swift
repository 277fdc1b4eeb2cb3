import Foundation
import NetRavenTestSupport

/// A real HTTPS Git server on 127.0.0.1 for push tests: scripts/https-git-server.py runs `git http-backend` behind
/// TLS and HTTP Basic auth. Certificates are throwaway ones made with `openssl` in the test's directory.
final class HTTPSGitServer {
    let directory: String
    let user: String
    private(set) var port = 0
    private var pid: Int32?

    /// Prepares `directory/srv` (the project root the server exports).
    init(directory: String, user: String) throws {
        self.directory = directory
        self.user = user
        try FileManager.default.createDirectory(atPath: "\(directory)/srv", withIntermediateDirectories: true)
    }

    /// Filesystem path of the bare repository `name` the server exports.
    func repositoryPath(_ name: String) -> String { "\(directory)/srv/\(name)" }

    /// The https URL of repository `name`.
    func url(_ name: String) -> String { "https://127.0.0.1:\(port)/\(name)" }

    /// Starts the server with `certificate` and `token`; returns once it listens (it prints its port when bound).
    func start(certificate: ServerCertificate, token: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [
            PackagePaths.script("https-git-server.py"), "\(directory)/srv", certificate.certificatePath,
            certificate.keyPath, user,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["NETRAVEN_GIT_TOKEN"] = token
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        _ = FileManager.default.createFile(atPath: "\(directory)/server.log", contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(directory)/server.log"))
        try process.run()
        pid = process.processIdentifier
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            stop()
            throw FixtureError("https-git-server.py did not report a port: '\(line)'")
        }
        self.port = port
    }

    /// Kills and reaps the server (idempotent).
    func stop() {
        if let pid { stopServer(pid) }
        pid = nil
    }

    deinit { stop() }
}

/// A CA and a server certificate it signed for 127.0.0.1, made with the openssl CLI.
struct ServerCertificate {
    let authorityPath: String
    let certificatePath: String
    let keyPath: String

    /// Creates CA `name` in `directory` and a server certificate for 127.0.0.1 signed by it.
    init(directory: String, name: String) throws {
        let base = "\(directory)/\(name)"
        authorityPath = "\(base)-ca.crt"
        certificatePath = "\(base)-server.crt"
        keyPath = "\(base)-server.key"
        let openssl = "/usr/bin/openssl"
        try runProcess(openssl, [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=NetRaven test CA \(name)",
            "-keyout", "\(base)-ca.key", "-out", authorityPath,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        try runProcess(openssl, [
            "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", keyPath,
            "-out", "\(base)-server.csr",
        ])
        // mbedTLS 2.28 (libgit2's TLS on Debian) compares the URL's host with dNSName entries as text and ignores
        // iPAddress ones, so 127.0.0.1 is listed both ways.
        let extensions = "subjectAltName=IP:127.0.0.1,DNS:127.0.0.1\nextendedKeyUsage=serverAuth\n"
        try extensions.write(toFile: "\(base)-ext.cnf", atomically: true, encoding: .utf8)
        try runProcess(openssl, [
            "x509", "-req", "-in", "\(base)-server.csr", "-CA", authorityPath, "-CAkey", "\(base)-ca.key",
            "-CAcreateserial", "-days", "2", "-extfile", "\(base)-ext.cnf", "-out", certificatePath,
        ])
    }
}
