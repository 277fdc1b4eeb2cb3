import Foundation
import Synchronization
import NetRavenTestSupport

/// `netraven run` as a child process: started, waited for until its listeners are bound, and stopped with a signal.
/// Its stderr (the JSON log) goes to a file the test can read.
/// `@unchecked Sendable`: `process` (Foundation's `Process`, not Sendable) is only started in init and signalled by
/// the test; `ports` and `reaped` sit behind Mutexes (the reader thread writes `ports`).
final class DaemonProcess: @unchecked Sendable {
    struct Ports: Decodable, Sendable {
        var syslogUDP: Int?
        var syslogTCP: Int?
        var snmp: Int?
    }

    let process = Process()
    let logPath: String
    private let readPorts = Mutex(Ports())
    var ports: Ports { readPorts.withLock { $0 } }
    private let ready = DispatchSemaphore(value: 0)
    private let reapedFlag = Mutex(false)

    /// Marks the process reaped; false when it already was.
    private func reap() -> Bool {
        reapedFlag.withLock { reaped in
            defer { reaped = true }
            return !reaped
        }
    }

    init(config: String, logPath: String, environment: [String: String] = [:]) throws {
        self.logPath = logPath
        process.executableURL = productsDirectory.appendingPathComponent("netraven")
        process.arguments = ["run", "--config", config]
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NETRAVEN_CONFIG")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.standardError = log
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        Thread { [self] in
            var buffer = Data()
            while true {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                if let newline = buffer.firstIndex(of: 0x0A) {
                    struct Ready: Decodable { var ports: Ports }
                    if let line = try? JSONDecoder().decode(Ready.self, from: buffer[..<newline]) {
                        readPorts.withLock { $0 = line.ports }
                    }
                    ready.signal()
                    // Keep draining so the daemon never blocks on a full pipe.
                    while !out.fileHandleForReading.availableData.isEmpty {}
                    return
                }
            }
            ready.signal()
        }.start()
    }

    /// Waits (generously) for the ready line; false when the daemon exited or never got ready.
    func waitUntilReady() -> Bool {
        ready.wait(timeout: .now() + 120) == .success && process.isRunning
            && (ports.syslogTCP != nil || ports.syslogUDP != nil)
    }

    /// The log so far.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// SIGKILL, as a crash or an OOM kill would.
    func kill9() {
        guard reap() else { return }
        stopServer(process.processIdentifier)
    }

    /// Sends a signal and waits (up to two minutes) for the process to exit; returns its exit status, nil if it did not.
    func signal(_ signal: Int32, waitForExit: Bool) -> Int32? {
        guard !reapedFlag.withLock({ $0 }) else { return nil }
        kill(process.processIdentifier, signal)
        guard waitForExit else { return nil }
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { return nil }
        _ = reap()
        return process.terminationStatus
    }

    deinit { kill9() }
}

/// Sends syslog messages over one TCP connection, LF-framed; stops quietly once the peer is gone.
final class SyslogTCPSender {
    private let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 { throw POSIXError(.ECONNREFUSED) }
    }

    /// false when the connection is gone.
    func send(_ line: String) -> Bool {
        let bytes = Array((line + "\n").utf8)
        return bytes.withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    deinit { close(fd) }
}
