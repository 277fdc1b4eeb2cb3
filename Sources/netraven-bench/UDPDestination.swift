import ArgumentParser
import Foundation

/// An IPv4 UDP receiver address and connected sockets to it from chosen local addresses (a connected socket
/// sends with plain `send`, no per-datagram address).
struct UDPDestination {
    let address: sockaddr_in
    let text: String

    init(_ text: String) throws {
        let parts = text.split(separator: ":")
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        guard parts.count == 2, let port = UInt16(parts[1]),
            inet_pton(AF_INET, String(parts[0]), &address.sin_addr) == 1
        else { throw ValidationError("target must be IPV4:PORT, found '\(text)'") }
        address.sin_port = port.bigEndian
        self.address = address
        self.text = text
    }

    /// A UDP socket bound to `local` (port chosen by the kernel) and connected to the destination.
    func socket(boundTo local: String) throws -> Int32 {
        let fd = Foundation.socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw ValidationError("cannot create a UDP socket: errno \(errno)") }
        var source = sockaddr_in()
        source.sin_family = sa_family_t(AF_INET)
        guard inet_pton(AF_INET, local, &source.sin_addr) == 1 else {
            close(fd)
            throw ValidationError("'\(local)' is not an IPv4 address")
        }
        var destination = address
        let bound = withUnsafePointer(to: &source) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        let connected = withUnsafePointer(to: &destination) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, connected == 0 else {
            let code = errno
            close(fd)
            throw ValidationError("cannot send from \(local) to \(text): errno \(code)")
        }
        return fd
    }
}
