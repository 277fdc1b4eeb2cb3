import Foundation
import NetRavenCore
import NetRavenTestSupport
import Testing

@testable import NetRavenAlerts

/// E-mail alerts through libcurl to a real local SMTP server (aiosmtpd, scripts/smtp-test-server.py) with a
/// throwaway certificate: STARTTLS and AUTH, implicit TLS, a wrong password.
@Suite(.serialized) struct EmailDeliveryTests {
    struct Received: Decodable {
        var mail_from: String
        var rcpt_tos: [String]
        var auth_user: String?
        var headers: [[String]]
        var body: String
        var raw: String

        /// The decoded body with LF line ends (the wire has CRLF).
        var text: String { body.replacingOccurrences(of: "\r\n", with: "\n") }

        func header(_ name: String) -> String? {
            headers.first { $0.first?.lowercased() == name.lowercased() }?.last
        }
    }

    /// A temp dir with a self-signed certificate for 127.0.0.1 and a folder for received mail.
    static func certificate(in directory: TemporaryDirectory) async throws -> (cert: String, key: String) {
        let cert = directory.path + "/cert.pem"
        let key = directory.path + "/key.pem"
        let status = try await ProcessRun.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            ])
        try #require(status == 0, "openssl req exited \(status)")
        return (cert, key)
    }

    func withSMTP(
        implicitTLS: Bool = false, _ body: (Int, TemporaryDirectory, String) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        let (cert, key) = try await Self.certificate(in: directory)
        let outbox = directory.path + "/received"
        try FileManager.default.createDirectory(atPath: outbox, withIntermediateDirectories: true)
        try await PythonPeer.with(
            "smtp-test-server.py",
            [cert, key, "netraven", "mail-pw-9", outbox] + (implicitTLS ? ["--implicit-tls"] : [])
        ) { peer in
            try await body(peer.port, directory, cert)
        }
    }

    func received(_ directory: TemporaryDirectory) throws -> [Received] {
        let folder = directory.path + "/received"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }
            .sorted()
        return try names.map {
            try JSONDecoder().decode(Received.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/" + $0)))
        }
    }

    func destination(url: String, password: String, caFile: String?, security: AlertDestination.EmailSettings.Security)
        -> AlertDestination
    {
        AlertDestination(
            name: "noc-mail",
            kind: .email(
                .init(
                    url: url, security: security, username: "netraven", password: Secret(password),
                    from: "netraven@example.net", to: ["noc@example.net", "oncall@example.net"], caFile: caFile)))
    }

    @Test func starttlsWithAuthDeliversAProperMessage() async throws {
        try await withSMTP { port, directory, cert in
            let dispatcher = AlertDispatcher()
            try await dispatcher.deliver(
                AlertSamples.single("noc-mail", diffLines: 30),
                to: destination(
                    url: "smtp://127.0.0.1:\(port)", password: "mail-pw-9", caFile: cert, security: .starttls))
            try await dispatcher.shutdown()
            let mails = try received(directory)
            #expect(mails.count == 1)
            let mail = try #require(mails.first)
            #expect(mail.mail_from == "netraven@example.net")
            #expect(mail.rcpt_tos == ["noc@example.net", "oncall@example.net"])
            #expect(mail.auth_user == "netraven")
            #expect(mail.header("Subject") == "[netraven] core-rtr-1: unexpected change by mallory")
            #expect(mail.header("From") == "netraven@example.net")
            #expect(mail.header("To") == "noc@example.net, oncall@example.net")
            #expect(mail.header("Message-ID")?.hasSuffix("@example.net>") == true)
            #expect(mail.header("Date")?.hasSuffix("+0000") == true)
            #expect(mail.header("Content-Type") == "text/plain; charset=\"utf-8\"")
            #expect(mail.header("X-NetRaven-Severity") == "critical")
            #expect(mail.text.contains("Verdict:   unexpected (critical)"))
            #expect(mail.text.contains("  - user-not-allowed: mallory may not change group core"))
            #expect(mail.text.contains("Configured from console by mallory"))
            // The diff whole, including the long route lines quoted-printable had to wrap.
            #expect(mail.text.contains(AlertSamples.diff(lines: 30)))
            #expect(mail.raw.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 998 })
        }
    }

    @Test func implicitTLSAndNonASCIISubjects() async throws {
        try await withSMTP(implicitTLS: true) { port, directory, cert in
            let dispatcher = AlertDispatcher()
            var batch = AlertSamples.single("noc-mail")
            batch.alerts[0].summary = "core-rtr-1: änderung durch mallory — unerwartet"
            try await dispatcher.deliver(
                batch,
                to: destination(url: "smtps://127.0.0.1:\(port)", password: "mail-pw-9", caFile: cert, security: .tls))
            try await dispatcher.shutdown()
            let mail = try #require(try received(directory).first)
            #expect(mail.header("Subject") == "[netraven] core-rtr-1: änderung durch mallory — unerwartet")
            #expect(mail.text.hasPrefix("core-rtr-1: änderung durch mallory — unerwartet\n"))
        }
    }

    @Test func wrongPasswordIsPermanentAndNeverShown() async throws {
        try await withSMTP { port, directory, cert in
            let dispatcher = AlertDispatcher()
            let error = await dispatcher.failure(
                AlertSamples.single("noc-mail"),
                to: destination(
                    url: "smtp://127.0.0.1:\(port)", password: "Wrong-Pw-77", caFile: cert, security: .starttls))
            if let error {
                #expect(error.code == .authenticationFailed)
                #expect(!error.isTransient)
                #expect(!error.description.contains("Wrong-Pw-77"))
            }
            try await dispatcher.shutdown()
            #expect(try received(directory).isEmpty)
        }
    }

    @Test func untrustedCertificateIsATLSError() async throws {
        try await withSMTP { port, _, _ in
            let dispatcher = AlertDispatcher()
            let other = try TemporaryDirectory()
            let (strangerCert, _) = try await Self.certificate(in: other)
            let error = await dispatcher.failure(
                AlertSamples.single("noc-mail"),
                to: destination(
                    url: "smtp://127.0.0.1:\(port)", password: "mail-pw-9", caFile: strangerCert,
                    security: .starttls))
            if let error {
                #expect(error.code == .tls && !error.isTransient)
            }
            try await dispatcher.shutdown()
        }
    }

    @Test func serverDownIsTransient() async throws {
        let closed = try BoundClosedPort()
        let dispatcher = AlertDispatcher()
        let error = await dispatcher.failure(
            AlertSamples.single("noc-mail"),
            to: destination(
                url: "smtp://127.0.0.1:\(closed.port)", password: "pw-x", caFile: nil, security: .starttls))
        if let error {
            #expect(error.code == .unreachable && error.isTransient)
        }
        try await dispatcher.shutdown()
        closed.close()
    }
}
