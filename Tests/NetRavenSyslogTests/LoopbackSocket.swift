import Glibc
import NIOPosix

/// A raw client socket bound to a chosen loopback source address (Linux routes all of 127/8 to lo), for sending
/// as a device the allow-list does or does not know. Closed when released, also when a test fails.
final class LoopbackSocket {
    private var fd: Int32

    /// A UDP (`SOCK_DGRAM`) or TCP (`SOCK_STREAM`) socket bound to `source`, port chosen by the system.
    init(source: String, type: __socket_type) throws {
        fd = socket(AF_INET, Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ToolError(description: "socket() failed: errno \(errno)") }
        var address = Self.address(source, port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard bound else {
            close(fd)
            throw ToolError(description: "bind to \(source) failed: errno \(errno)")
        }
    }

    deinit { close(fd) }

    /// Connects (TCP) to 127.0.0.1:`port`.
    func connect(port: Int) throws {
        var address = Self.address("127.0.0.1", port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { throw ToolError(description: "connect to port \(port) failed: errno \(errno)") }
    }

    /// Sends `bytes` (a datagram to 127.0.0.1:`port` for UDP; on the connection for TCP when `port` is nil).
    func send(_ bytes: [UInt8], port: Int? = nil) throws {
        var address = Self.address("127.0.0.1", port: port ?? 0)
        let sent = bytes.withUnsafeBytes { raw in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { target in
                    port == nil
                        ? Glibc.send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
                        : sendto(fd, raw.baseAddress, raw.count, 0, target, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard sent == bytes.count else { throw ToolError(description: "send failed: errno \(errno)") }
    }

    /// Waits until the server closes the connection (read returns 0 or an error), off the cooperative pool.
    func waitForClose() async throws {
        let socket = fd
        try await NIOThreadPool.singleton.runIfActive {
            var buffer = [UInt8](repeating: 0, count: 512)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(socket, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { return }
            }
        }
    }

    private static func address(_ text: String, port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(text)
        return address
    }
}
