import Foundation
import NetRavenLab
import NetRavenTestSupport
import Testing

@Suite struct LabStartTests {
    /// A start that fails on one device's port releases the ports it had already bound, so nothing is left
    /// listening and the caller needs no cleanup.
    @Test func failedStartReleasesWhatItBound() async throws {
        // A loopback address of its own and ports below the kernel's ephemeral range (32768-60999): parallel tests
        // bind port 0, often on the wildcard address, which would otherwise take a port this test found free.
        let host = "127.0.77.1"
        // Device 2's port is held; device 1's (just below it) must be free for this check to mean anything.
        var found: (fd: Int32, port: Int)?
        for _ in 0..<100 where found == nil {
            let candidate = Int.random(in: 21_000..<29_999)
            if canBind(host: host, port: candidate) { found = bindSocket(host: host, port: candidate + 1) }
        }
        let held = try #require(found, "no free pair of ports below the ephemeral range")
        defer { close(held.fd) }
        let first = held.port - 1
        try #require(canBind(host: host, port: first), "port \(first) is busy; the check needs it free")
        var configuration = LabConfiguration(devices: 2, basePort: first, controlPort: nil)
        configuration.host = host
        let lab = try Lab(configuration: configuration)
        await #expect(throws: LabError.self) { _ = try await lab.start() }
        // The kernel may finish releasing a closed listener a moment after the event loop reports it closed (seen
        // only under the full suite's load): poll with a generous deadline; a leaked listener never goes away.
        // The kernel's own table of listening sockets is asked, not a bind attempt: under load another process may
        // bind the freed port on the wildcard address, which says nothing about the lab's listener.
        let deadline = ContinuousClock.now + .seconds(60)
        var released = !isListening(host: host, port: first)
        while !released && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            released = !isListening(host: host, port: first)
        }
        #expect(released, "the first device's listener must be closed after the failed start")
    }
}

/// Whether a TCP socket listens on exactly `host`:`port` (an IPv4 address), from /proc/net/tcp: local address as
/// little-endian hex `AABBCCDD:PPPP`, state `0A` = LISTEN.
private func isListening(host: String, port: Int) -> Bool {
    let octets = host.split(separator: ".").compactMap { UInt8($0) }
    guard octets.count == 4, let table = try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) else {
        return false
    }
    let address = octets.reversed().map { String(format: "%02X", $0) }.joined() + String(format: ":%04X", port)
    return table.split(separator: "\n").dropFirst().contains { line in
        let columns = line.split(separator: " ", omittingEmptySubsequences: true)
        return columns.count > 3 && columns[1] == address && columns[3] == "0A"
    }
}

/// Whether `host`:`port` can be bound right now (nobody bound or listening there).
private func canBind(host: String, port: Int) -> Bool {
    guard let bound = bindSocket(host: host, port: port, reuseAddress: true) else { return false }
    close(bound.fd)
    return true
}

/// A TCP socket bound (not listening) to `host`:`port` (0 = the kernel chooses), or nil.
///
/// With SO_REUSEADDR, as the lab's listeners have: Linux then refuses the bind only while a socket LISTENS on the
/// port, not for connections of a closed listener lingering in TIME_WAIT, which is exactly "the listener is closed".
/// The held port is bound without it, so the lab's own SO_REUSEADDR bind cannot share it.
private func bindSocket(host: String, port: Int, reuseAddress: Bool = false) -> (fd: Int32, port: Int)? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var one: Int32 = 1
    if reuseAddress { _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr(host)
    address.sin_port = UInt16(port).bigEndian
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else {
        close(fd)
        return nil
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}
