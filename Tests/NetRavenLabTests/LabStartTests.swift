import Foundation
import NetRavenLab
import NetRavenTestSupport
import Testing

@Suite struct LabStartTests {
    /// A start that fails on one device's port releases the ports it had already bound, so nothing is left
    /// listening and the caller needs no cleanup.
    @Test func failedStartReleasesWhatItBound() async throws {
        // Device 2's port is held; device 1's (just below it) must be free for this check to mean anything.
        let held = try BoundClosedPort()
        let first = held.port - 1
        try #require(canBind(port: first), "port \(first) is busy; the check needs it free")
        let lab = try Lab(configuration: LabConfiguration(devices: 2, basePort: first, controlPort: nil))
        await #expect(throws: LabError.self) { _ = try await lab.start() }
        #expect(canBind(port: first), "the first device's listener must be closed after the failed start")
    }
}

/// Whether 127.0.0.1:`port` can be bound right now (nobody bound or listening there).
private func canBind(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}
