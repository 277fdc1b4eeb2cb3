import Foundation
import NetRavenCore
import NetRavenSyslog
import NetRavenTestSupport
import Testing

/// The listener against real senders: util-linux `logger`, `openssl s_client`, and raw sockets bound to chosen
/// loopback addresses for the allow-list.
@Suite struct SyslogListenerTests {
    enum Format: String, CaseIterable, Sendable {
        case rfc3164, rfc5424
    }

    enum Mode: String, CaseIterable, Sendable {
        case udp, tcp, octetCounted
    }

    @Test(arguments: Mode.allCases, Format.allCases)
    func loggerMessagesArriveUnframed(mode: Mode, format: Format) async throws {
        let directory = try TemporaryDirectory()
        let settings = ListenerHarness.settings(udp: mode == .udp, tcp: mode != .udp)
        try await ListenerHarness.with(settings) { listener, inbox in
            let transport: SyslogTransport = mode == .udp ? .udp : .tcp
            let port = try #require(listener.ports[transport])
            var arguments = ["--server", "127.0.0.1", "--port", "\(port)", "--\(format.rawValue)", "-t", "nrtest"]
            switch mode {
            case .udp: arguments.append("--udp")
            case .tcp: arguments.append("--tcp")
            case .octetCounted: arguments += ["--tcp", "--octet-count"]
            }
            // Three lines on stdin: logger sends each as its own message (over TCP on one connection).
            let marker = UUID().uuidString
            let lines = (1...3).map { "change \($0) \(marker)" }
            try await ToolRun.check(
                "/usr/bin/logger", arguments, stdin: lines.joined(separator: "\n") + "\n", in: directory.path)
            for line in lines {
                let datagram = try await inbox.next()
                #expect(datagram.transport == transport)
                #expect(datagram.peer == "127.0.0.1")
                // The framing is gone: no octet count in front, no LF behind.
                #expect(datagram.text.hasPrefix("<"))
                #expect(datagram.text.hasSuffix(line))
                if format == .rfc5424 { #expect(datagram.text.hasPrefix("<13>1 ")) }
            }
            #expect(listener.counters.received(transport) == 3)
            #expect(listener.counters.malformedFraming == 0)
            #expect(listener.counters.oversized == 0)
        }
    }

    @Test func udpFromUnknownSourceIsCountedAndNotDelivered() async throws {
        try await ListenerHarness.with(ListenerHarness.settings(udp: true)) { listener, inbox in
            let port = try #require(listener.ports[.udp])
            // Both datagrams land in the listener's one socket queue, in order: when the allowed one arrives, the
            // rejected one has been handled.
            let stranger = try LoopbackSocket(source: "127.0.0.2", type: SOCK_DGRAM)
            try stranger.send(Array("<13>from a stranger".utf8), port: port)
            try LoopbackSocket(source: "127.0.0.1", type: SOCK_DGRAM).send(Array("<13>from r1\n\0".utf8), port: port)
            let datagram = try await inbox.next()
            #expect(datagram.text == "<13>from r1")
            #expect(listener.counters.rejectedSources == 1)
            #expect(listener.counters.received(.udp) == 1)
            #expect(inbox.pending == 0)
            #expect(listener.counters.receiveBufferBytes > 0)
        }
    }

    @Test func tcpFromUnknownSourceIsClosed() async throws {
        try await ListenerHarness.with(ListenerHarness.settings(tcp: true)) { listener, inbox in
            let port = try #require(listener.ports[.tcp])
            let stranger = try LoopbackSocket(source: "127.0.0.2", type: SOCK_STREAM)
            try stranger.connect(port: port)
            try? stranger.send(Array("<13>from a stranger\n".utf8))
            try await stranger.waitForClose()
            #expect(listener.counters.rejectedSources == 1)
            #expect(listener.counters.connectionsAccepted == 0)

            let device = try LoopbackSocket(source: "127.0.0.1", type: SOCK_STREAM)
            try device.connect(port: port)
            try device.send(Array("<13>from r1\r\n".utf8))
            #expect(try await inbox.next().text == "<13>from r1")
            #expect(inbox.pending == 0)
        }
    }

    @Test func connectionsBeyondTheMaximumAreRefused() async throws {
        try await ListenerHarness.with(ListenerHarness.settings(tcp: true, maxConnections: 1)) { listener, inbox in
            let port = try #require(listener.ports[.tcp])
            let first = try LoopbackSocket(source: "127.0.0.1", type: SOCK_STREAM)
            try first.connect(port: port)
            try first.send(Array("<13>one\n".utf8))
            #expect(try await inbox.next().text == "<13>one")

            let second = try LoopbackSocket(source: "127.0.0.1", type: SOCK_STREAM)
            try second.connect(port: port)
            try await second.waitForClose()
            #expect(listener.counters.connectionsRefused == 1)
            #expect(listener.counters.connectionsOpen == 1)

            try first.send(Array("<13>two\n".utf8))
            #expect(try await inbox.next().text == "<13>two")
        }
    }

    @Test func oversizedMessagesAreCountedAndTheStreamGoesOn() async throws {
        let settings = ListenerHarness.settings(udp: true, tcp: true, maxMessageBytes: 480)
        try await ListenerHarness.with(settings) { listener, inbox in
            let tcpPort = try #require(listener.ports[.tcp])
            let udpPort = try #require(listener.ports[.udp])
            let device = try LoopbackSocket(source: "127.0.0.1", type: SOCK_STREAM)
            try device.connect(port: tcpPort)
            let long = "<13>" + String(repeating: "x", count: 5000)
            try device.send(Array("\(long)\n700 \(String(repeating: "y", count: 700))<13>after\n".utf8))
            #expect(try await inbox.next().text == "<13>after")
            #expect(listener.counters.oversized == 2)

            let udp = try LoopbackSocket(source: "127.0.0.1", type: SOCK_DGRAM)
            try udp.send(Array(long.utf8), port: udpPort)
            try udp.send(Array("<13>short".utf8), port: udpPort)
            #expect(try await inbox.next().text == "<13>short")
            #expect(listener.counters.oversized == 3)
        }
    }

    @Test func tlsWithOpenSSLClient() async throws {
        let directory = try TemporaryDirectory()
        let certificate = directory.path + "/cert.pem"
        let key = directory.path + "/key.pem"
        try await ToolRun.check(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                "-subj", "/CN=netraven-test", "-keyout", key, "-out", certificate,
            ], in: directory.path)
        let tls = SyslogSettings.TLS(
            listen: ListenAddress(host: "127.0.0.1", port: 0), certificatePath: certificate, keyPath: key)
        try await ListenerHarness.with(ListenerHarness.settings(tls: tls)) { listener, inbox in
            let port = try #require(listener.ports[.tls])
            let octetCounted = "<13>1 - r1 nrtest - - - octet counted over TLS"
            let input = "<13>Nov 21 12:00:00 r1 nrtest: line over TLS\n\(octetCounted.utf8.count) \(octetCounted)"
            // -no_ign_eof after -quiet: end the session when stdin ends (-quiet alone ignores EOF).
            try await ToolRun.check(
                "/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(port)", "-quiet", "-no_ign_eof"],
                stdin: input, in: directory.path)
            let first = try await inbox.next()
            #expect(first.text == "<13>Nov 21 12:00:00 r1 nrtest: line over TLS")
            #expect(first.transport == .tls)
            #expect(try await inbox.next().text == octetCounted)
            #expect(listener.counters.received(.tls) == 2)
        }
    }

    @Test func tlsWithClientCertificatesRequired() async throws {
        let directory = try TemporaryDirectory()
        let path = { (name: String) in directory.path + "/" + name }
        let newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        let openssl = "/usr/bin/openssl"
        for (name, subject) in [("ca", "/CN=netraven-test-ca"), ("server", "/CN=netraven-test")] {
            try await ToolRun.check(
                openssl, ["req", "-x509"] + newKey + ["-days", "1", "-subj", subject, "-keyout", path("\(name).key"),
                    "-out", path("\(name).pem")], in: directory.path)
        }
        try await ToolRun.check(
            openssl, ["req"] + newKey + ["-subj", "/CN=r1", "-keyout", path("client.key"), "-out", path("client.csr")],
            in: directory.path)
        try await ToolRun.check(
            openssl, [
                "x509", "-req", "-in", path("client.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                "-CAcreateserial", "-days", "1", "-out", path("client.pem"),
            ], in: directory.path)
        let tls = SyslogSettings.TLS(
            listen: ListenAddress(host: "127.0.0.1", port: 0), certificatePath: path("server.pem"),
            keyPath: path("server.key"), clientCAPath: path("ca.pem"))
        try await ListenerHarness.with(ListenerHarness.settings(tls: tls)) { listener, inbox in
            let port = try #require(listener.ports[.tls])
            let client = ["s_client", "-connect", "127.0.0.1:\(port)", "-quiet", "-no_ign_eof"]
            // Without a certificate the handshake fails on the server: nothing is delivered from it.
            _ = try await ToolRun.run(openssl, client, stdin: "<13>anonymous\n", in: directory.path)
            _ = try await ToolRun.run(
                openssl, client + ["-cert", path("client.pem"), "-key", path("client.key")],
                stdin: "<13>authenticated\n", in: directory.path)
            #expect(try await inbox.next().text == "<13>authenticated")
            #expect(listener.counters.received(.tls) == 1)
            #expect(inbox.pending == 0)
        }
    }

    @Test func tlsWithMissingKeyFileFailsToBindWithAClearError() async throws {
        let directory = try TemporaryDirectory()
        let certificate = try directory.write("cert.pem", "not a certificate")
        let tls = SyslogSettings.TLS(
            listen: ListenAddress(host: "127.0.0.1", port: 0), certificatePath: certificate,
            keyPath: directory.path + "/missing.pem")
        let error = await #expect(throws: SyslogListenerError.self) {
            _ = try await SyslogListener.bind(
                settings: ListenerHarness.settings(tls: tls), resolver: ListenerHarness.localResolver
            ) { _ in }
        }
        #expect(error?.code == .tlsConfiguration)
        #expect(error?.message.contains(certificate) == true)
    }

    @Test func portInUseIsABindError() async throws {
        let held = try BoundClosedPort()
        var settings = ListenerHarness.settings()
        settings.tcp = ListenAddress(host: "127.0.0.1", port: held.port)
        let error = await #expect(throws: SyslogListenerError.self) {
            _ = try await SyslogListener.bind(settings: settings, resolver: ListenerHarness.localResolver) { _ in }
        }
        #expect(error?.code == .bindFailed)
        #expect(error?.message.contains("TCP 127.0.0.1:\(held.port)") == true)
    }
}
