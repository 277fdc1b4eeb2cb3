import Foundation
import NetRavenTestSupport

/// Runs the Debian net-snmp tools (`snmptrap`, `snmpinform`) against a receiver on loopback.
struct TrapSender {
    /// Their own persistent directory, so the tools never write to /var/lib/snmp or ~/.snmp.
    let stateDirectory: TemporaryDirectory

    init() throws {
        stateDirectory = try TemporaryDirectory(prefix: "netraven-snmptools")
    }

    struct Result {
        var status: Int32
        var output: String
    }

    /// Runs `tool arguments` and waits for it (the tools exit on their own: traps at once, informs after their
    /// retries); the process is always reaped before this returns.
    @discardableResult
    func run(_ tool: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SNMP_PERSISTENT_DIR"] = stateDirectory.path
        environment["SNMPCONFPATH"] = stateDirectory.path
        environment["MIBS"] = ""
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}

/// Collects what the receiver's handler is given, and lets the test wait for the next one.
/// `@unchecked Sendable`: `traps` and the handler answer are read and written only under `lock`.
final class TrapInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var traps: [ReceivedTrapCopy] = []
    private let arrived = DispatchSemaphore(value: 0)
    /// What the handler answers (false = not journaled: informs go unacknowledged).
    let accept: Bool

    init(accept: Bool = true) {
        self.accept = accept
    }

    func deliver(_ trap: ReceivedTrapCopy) -> Bool {
        lock.withLock { traps.append(trap) }
        arrived.signal()
        return accept
    }

    /// The next trap; a generous deadline only so that a broken receiver fails the test instead of hanging it.
    func next() -> ReceivedTrapCopy? {
        guard arrived.wait(timeout: .now() + 60) == .success else { return nil }
        return lock.withLock { traps.removeFirst() }
    }
}
