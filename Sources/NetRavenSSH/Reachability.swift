internal import Glibc

/// Checks that something accepts TCP connections at `host:port`, without speaking SSH.
///
/// A cheap pre-check that tells "device down / port closed" (`.unreachable`) from "packets dropped"
/// (`.timeout`) before a full login is attempted. Tries every address the name resolves to, sharing one
/// deadline. Blocks the calling thread for up to `timeout`: call it from an `SSHWorkerPool` closure.
public func checkReachable(host: String, port: Int, timeout: Duration) throws {
    guard (1...65535).contains(port) else { throw SSHError(.invalidTarget, "port \(port) out of range") }
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_flags = AI_NUMERICSERV
    var list: UnsafeMutablePointer<addrinfo>?
    let resolved = getaddrinfo(host, String(port), &hints, &list)
    guard resolved == 0, let list else {
        throw SSHError(.unreachable, "cannot resolve \(host): \(String(cString: gai_strerror(resolved)))")
    }
    defer { freeaddrinfo(list) }

    let deadline = ContinuousClock.now + timeout
    var failures: [String] = []
    var timedOut = false
    var entry: UnsafeMutablePointer<addrinfo>? = list
    while let address = entry {
        entry = address.pointee.ai_next
        switch tryConnect(address.pointee, until: deadline) {
        case .connected:
            return
        case .refused(let reason):
            failures.append(reason)
        case .timedOut:
            timedOut = true
            failures.append("no answer")
        }
    }
    let summary = failures.joined(separator: "; ")
    if timedOut {
        throw SSHError(.timeout, "\(host):\(port) did not answer within \(timeout) (\(summary))")
    }
    throw SSHError(.unreachable, "\(host):\(port) is unreachable (\(summary))")
}

private enum ConnectOutcome {
    case connected
    case refused(String)
    case timedOut
}

/// Non-blocking connect + poll, so the wait is bounded by the deadline instead of the kernel's SYN retries.
private func tryConnect(_ address: addrinfo, until deadline: ContinuousClock.Instant) -> ConnectOutcome {
    let fd = socket(address.ai_family, address.ai_socktype | Int32(SOCK_NONBLOCK.rawValue), address.ai_protocol)
    guard fd >= 0 else { return .refused("socket: \(errnoText(errno))") }
    defer { Glibc.close(fd) }

    if Glibc.connect(fd, address.ai_addr, address.ai_addrlen) == 0 { return .connected }
    let connectErrno = errno
    guard connectErrno == EINPROGRESS else { return .refused(errnoText(connectErrno)) }

    var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
    while true {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { return .timedOut }
        let (seconds, attoseconds) = remaining.components
        let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
        let ready = poll(&descriptor, 1, milliseconds)
        if ready < 0 {
            if errno == EINTR { continue }
            return .refused("poll: \(errnoText(errno))")
        }
        if ready == 0 { continue }  // re-check the deadline: poll may return early
        var socketError: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length) != 0 {
            return .refused("getsockopt: \(errnoText(errno))")
        }
        if socketError == 0 { return .connected }
        if socketError == ETIMEDOUT { return .timedOut }
        return .refused(errnoText(socketError))
    }
}

private func errnoText(_ code: Int32) -> String {
    String(cString: strerror(code))
}
