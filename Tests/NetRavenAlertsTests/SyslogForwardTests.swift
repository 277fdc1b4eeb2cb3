import Foundation
import Glibc
import NetRavenCore
import NetRavenTestSupport
import Testing

@testable import NetRavenAlerts

/// Syslog forwarding to sockets the test binds on loopback, the lines parsed by NetRaven's own syslog parser.
@Suite struct SyslogForwardTests {
    func destination(port: Int, transport: AlertDestination.SyslogForwardSettings.Transport) -> AlertDestination {
        AlertDestination(
            name: "siem",
            kind: .syslog(.init(host: "127.0.0.1", port: port, transport: transport, facility: 19, hostname: "nms-1")))
    }

    func check(_ messages: [SyslogMessage]) throws {
        #expect(messages.count == 3)  // two alerts in full and the digest
        let first = try #require(messages.first)
        #expect(first.format == .rfc5424)
        #expect(first.facility == 19 && first.severity == 2)
        #expect(first.hostname == "nms-1" && first.appName == "netraven" && first.msgID == "CHANGE")
        let data = try #require(first.structuredData.first)
        #expect(data.id == "netraven@32473")
        #expect(data["device"] == "sw0" && data["verdict"] == "unexpected" && data["users"] == "mallory")
        #expect(data["reasons"] == "user-not-allowed,sensitive-lines")
        #expect(first.text.hasPrefix("sw0: unexpected change by mallory: user-not-allowed: mallory may not"))
        #expect(first.timestamp == AlertSamples.time)
        let digest = try #require(messages.last)
        #expect(digest.msgID == "DIGEST")
        #expect(digest.structuredData.first?["count"] == "48" && digest.structuredData.first?["unexpected"] == "48")
        #expect(digest.text.hasPrefix("48 more alerts on 48 devices: sw10 sw11"))
    }

    @Test func udpOneDatagramPerLine() async throws {
        let (fd, port) = try bindLoopbackSocket(Int32(SOCK_DGRAM.rawValue))
        defer { close(fd) }
        let dispatcher = AlertDispatcher()
        try await dispatcher.deliver(
            AlertSamples.digest("siem", count: 50, full: 2), to: destination(port: port, transport: .udp))
        try await dispatcher.shutdown()
        // Loopback datagrams are queued by the time sendto returns: read without waiting.
        var messages: [SyslogMessage] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            guard count > 0 else { break }
            #expect(count <= SyslogForwarder.udpLimit)
            messages.append(try SyslogMessage.parse(buffer.prefix(count)))
        }
        try check(messages)
    }

    @Test func tcpOctetCountedFrames() async throws {
        let (fd, port) = try bindLoopbackSocket(Int32(SOCK_STREAM.rawValue))
        defer { close(fd) }
        #expect(listen(fd, 4) == 0)
        let dispatcher = AlertDispatcher()
        // The kernel completes the connection from the backlog; the forwarder closes it when done.
        try await dispatcher.deliver(
            AlertSamples.digest("siem", count: 50, full: 2), to: destination(port: port, transport: .tcp))
        try await dispatcher.shutdown()
        let connection = accept(fd, nil, nil)
        try #require(connection >= 0)
        defer { close(connection) }
        var stream: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            stream += buffer.prefix(count)
        }
        var messages: [SyslogMessage] = []
        var rest = stream[...]
        while let space = rest.firstIndex(of: UInt8(ascii: " ")),
            let length = Int(String(decoding: rest[..<space], as: UTF8.self))
        {
            let start = rest.index(after: space)
            messages.append(try SyslogMessage.parse(rest[start..<(start + length)]))
            rest = rest[(start + length)...]
        }
        #expect(rest.isEmpty)
        try check(messages)
    }

    @Test func nothingListeningOverTCPIsTransient() async throws {
        let closed = try BoundClosedPort()
        let dispatcher = AlertDispatcher()
        let error = await dispatcher.failure(
            AlertSamples.single("siem"), to: destination(port: closed.port, transport: .tcp))
        if let error {
            #expect(error.code == .unreachable && error.isTransient)
        }
        try await dispatcher.shutdown()
        closed.close()
    }

    @Test func parameterValuesAreEscaped() {
        #expect(SyslogForwarder.escapeParameter(#"a"b\c]d"#) == #"a\"b\\c\]d"#)
    }
}
