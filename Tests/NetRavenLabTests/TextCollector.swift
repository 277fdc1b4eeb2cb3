import Foundation
import NetRavenTestSupport

/// Lines (datagrams, or a peer's output lines) arriving on a reader thread, and tasks waiting for one that matches.
///
/// A waiter is resumed by the reader when its line arrives, or failed when its (generous) deadline passes; there is
/// no sleeping or polling in the tests. `@unchecked Sendable`: every field is guarded by `lock`.
final class TextCollector: @unchecked Sendable {
    struct Item: Sendable {
        var source: String
        var text: String
    }

    private struct Waiter {
        /// Given everything received so far, the item the waiter wants, if it is there.
        var predicate: @Sendable ([Item]) -> Item?
        var deadline: Date
        var continuation: CheckedContinuation<Item, any Error>
    }

    private let lock = NSLock()
    private var items: [Item] = []
    private var waiters: [Waiter] = []

    /// Everything received so far.
    var all: [Item] { lock.withLock { items } }

    func append(_ item: Item) {
        let ready = lock.withLock { () -> [(Waiter, Item)] in
            items.append(item)
            var ready: [(Waiter, Item)] = []
            waiters.removeAll { w in
                guard let found = w.predicate(items) else { return false }
                ready.append((w, found))
                return true
            }
            return ready
        }
        for (w, item) in ready { w.continuation.resume(returning: item) }
    }

    /// Fails waiters whose deadline passed; the reader calls it between reads.
    func expire(now: Date = Date()) {
        let expired = lock.withLock { () -> [Waiter] in
            let gone = waiters.filter { $0.deadline < now }
            waiters.removeAll { $0.deadline < now }
            return gone
        }
        for w in expired { w.continuation.resume(throwing: ProcessFailure(description: "nothing matching arrived in time")) }
    }

    /// The first item (already received or still to come) matching `predicate`.
    func first(timeout: TimeInterval = 30, where predicate: @escaping @Sendable (Item) -> Bool) async throws -> Item {
        try await wait(timeout: timeout) { $0.first(where: predicate) }
    }

    /// The `n`th item (1-based) containing `text`.
    func nth(_ n: Int, containing text: String) async throws -> Item {
        try await wait(timeout: 30) { items in
            let matching = items.filter { $0.text.contains(text) }
            return matching.count >= n ? matching[n - 1] : nil
        }
    }

    /// Waits until the concatenation of everything received (a byte stream read in pieces) contains `text`.
    func stream(containing text: String) async throws {
        _ = try await wait(timeout: 30) { items in
            items.map(\.text).joined().contains(text) ? items.last : nil
        }
    }

    private func wait(timeout: TimeInterval, _ predicate: @escaping @Sendable ([Item]) -> Item?) async throws -> Item {
        try await withCheckedThrowingContinuation { continuation in
            let found = lock.withLock { () -> Item? in
                if let item = predicate(items) { return item }
                waiters.append(Waiter(predicate: predicate, deadline: Date() + timeout, continuation: continuation))
                return nil
            }
            if let found {
                continuation.resume(returning: found)
            } else {
                // A deadline, not a timed assertion: wakes the waiter when nothing came (peer silent or dead).
                // On its own thread: the global queues can be starved by blocked workers on 2 cores.
                Thread { [self] in
                    Thread.sleep(forTimeInterval: timeout + 0.1)
                    expire()
                }.start()
            }
        }
    }

    /// The first item containing `text`.
    func first(containing text: String) async throws -> Item {
        try await first { $0.text.contains(text) }
    }
}

/// A UDP socket on 127.0.0.1 (port chosen by the kernel) whose datagrams a dedicated thread collects.
final class UDPReceiver: @unchecked Sendable {
    let port: Int
    let received = TextCollector()
    private let fd: Int32
    private let stopped = NSLock()
    private var isStopped = false

    init() throws {
        let (fd, port) = try bindLoopbackSocket(Int32(SOCK_DGRAM.rawValue))
        // Wake up every 200 ms to expire waiters and notice `stop()`.
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        self.fd = fd
        self.port = port
        let thread = Thread { [self] in readLoop() }
        thread.start()
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !stopped.withLock({ isStopped }) {
            var from = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let n = buffer.withUnsafeMutableBytes { raw in
                withUnsafeMutablePointer(to: &from) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        recvfrom(fd, raw.baseAddress, raw.count, 0, $0, &length)
                    }
                }
            }
            if n > 0 {
                let source = String(cString: inet_ntoa(from.sin_addr))
                received.append(.init(source: source, text: String(decoding: buffer[..<n], as: UTF8.self)))
            }
            received.expire()
        }
        close(fd)
    }

    /// Stops the reader thread, which closes the socket.
    func stop() {
        stopped.withLock { isStopped = true }
    }

    deinit { stop() }
}

/// The real Debian `snmptrapd` on a free loopback UDP port, printing every trap (numeric OIDs) to its stdout,
/// whose lines a dedicated thread collects. Always killed and reaped by `stop()`.
///
/// Spawned with posix_spawn, not Foundation's Process: snmptrapd closes the descriptors it inherits, and Foundation
/// takes its monitoring socket closing for an exit and blocks in waitpid, which stalls every other Process in the
/// test run.
final class TrapReceiver: @unchecked Sendable {
    let port: Int
    let received = TextCollector()
    private var pid: pid_t = 0
    private let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory(prefix: "snmptrapd")
        let conf = try directory.write("snmptrapd.conf", "authCommunity log public\ndisableAuthorization yes\n")
        // snmptrapd cannot report a port it chose: take a free one from the kernel and hand it over.
        let probe = try UDPReceiver()
        port = probe.port
        probe.stop()
        // stdbuf -oL: snmptrapd prints through stdio and does not flush a pipe per line; stdbuf execs it (same pid).
        // -m "" -M /dev/null: Debian ships no MIBs, so load none (and print numeric OIDs, -On).
        let arguments = ["/usr/bin/stdbuf", "-oL", "/usr/sbin/snmptrapd", "-f", "-Lo", "-n", "-On", "-m", "", "-M",
            "/dev/null", "-C", "-c", conf, "udp:127.0.0.1:\(port)"]
        var environment = ProcessInfo.processInfo.environment
        environment["SNMP_PERSISTENT_DIR"] = directory.path  // otherwise it writes to /var/lib/snmp
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw ProcessFailure(description: "pipe() failed: errno \(errno)") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        let status = posix_spawn(&pid, arguments[0], &actions, nil, argv, envp)
        close(fds[1])
        guard status == 0 else {
            close(fds[0])
            throw ProcessFailure(description: "cannot start snmptrapd: posix_spawn \(status)")
        }
        let readFD = fds[0]
        let collector = received
        Thread {
            var pending = ""
            var buffer = [UInt8](repeating: 0, count: 8192)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(readFD, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                pending += String(decoding: buffer[..<n], as: UTF8.self)
                while let newline = pending.firstIndex(of: "\n") {
                    collector.append(.init(source: "snmptrapd", text: String(pending[..<newline])))
                    pending = String(pending[pending.index(after: newline)...])
                }
            }
            close(readFD)
            collector.expire(now: .distantFuture)  // the process is gone: nobody will answer
        }.start()
    }

    /// Waits until snmptrapd says it is listening.
    func ready() async throws {
        _ = try await received.first(containing: "NET-SNMP version")
    }

    /// Kills and reaps snmptrapd.
    func stop() {
        if pid > 0 { stopServer(pid) }
        pid = 0
    }
}

/// A TCP listener on 127.0.0.1 that accepts one connection and collects its byte stream; `received` holds one
/// item per read, `stream` everything so far.
final class TCPReceiver: @unchecked Sendable {
    let port: Int
    let received = TextCollector()
    private let fd: Int32

    init() throws {
        (fd, port) = try bindLoopbackSocket(Int32(SOCK_STREAM.rawValue))
        guard listen(fd, 1) == 0 else { throw ProcessFailure(description: "listen() failed: errno \(errno)") }
        let listener = fd
        let collector = received
        Thread {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                collector.append(.init(source: "tcp", text: String(decoding: buffer[..<n], as: UTF8.self)))
            }
            close(connection)
        }.start()
    }

    /// Everything received so far, in order.
    var stream: String { received.all.map(\.text).joined() }

    /// Closes the listener (the connection ends when the lab closes it).
    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }
}
