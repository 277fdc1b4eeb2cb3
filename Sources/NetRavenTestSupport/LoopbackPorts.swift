import Foundation

/// Why a socket helper failed.
public struct SocketError: Error, CustomStringConvertible {
    public var description: String
}

/// A loopback TCP port held by a bound, non-listening socket: connecting to it is refused, and no other process
/// can take the port while it is held (a merely free port can be taken by a server a parallel test starts).
public final class BoundClosedPort {
    public let port: Int
    private var fd: Int32

    public init() throws {
        (fd, port) = try bindLoopbackSocket(Int32(SOCK_STREAM.rawValue))
    }

    deinit { close() }

    /// Releases the port.
    public func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }
}

/// A loopback TCP port that was free a moment ago, for a server that binds it itself and retries on failure.
public func freeLoopbackPort() throws -> Int {
    try BoundClosedPort().port
}

/// Kills a test server and reaps it. Foundation's `waitUntilExit` can hang on Linux for a signalled long-lived
/// child (its exit notification is lost), so servers are reaped directly; ECHILD (already reaped) is fine.
public func stopServer(_ pid: Int32) {
    kill(pid, SIGKILL)
    var status: Int32 = 0
    _ = waitpid(pid, &status, 0)
}

/// A socket of `type` (`SOCK_STREAM`, `SOCK_DGRAM`) bound to 127.0.0.1 on a port the kernel chose; returns the
/// descriptor (the caller closes it) and the port.
public func bindLoopbackSocket(_ type: Int32) throws -> (fd: Int32, port: Int) {
    let socketFD = socket(AF_INET, type, 0)
    guard socketFD >= 0 else { throw SocketError(description: "socket() failed: errno \(errno)") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0
        }
    }
    guard bound else {
        Glibc.close(socketFD)
        throw SocketError(description: "bind() to 127.0.0.1:0 failed: errno \(errno)")
    }
    return (socketFD, Int(UInt16(bigEndian: address.sin_port)))
}
