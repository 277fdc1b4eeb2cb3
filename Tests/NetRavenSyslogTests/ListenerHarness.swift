import Foundation
import Logging
import NetRavenCore
import NIOConcurrencyHelpers
import NetRavenSyslog
import NetRavenTestSupport

/// Runs a `SyslogListener` on loopback ports chosen by the system for the duration of a test body, collecting what
/// it delivers; the listener is shut down and its `run` awaited afterwards, also when the body throws.
enum ListenerHarness {
    /// Loopback listeners on port 0 for the given transports.
    static func settings(
        udp: Bool = false, tcp: Bool = false, tls: SyslogSettings.TLS? = nil, maxMessageBytes: Int = 64 * 1024,
        maxConnections: Int = 16
    ) -> SyslogSettings {
        SyslogSettings(
            udp: udp ? ListenAddress(host: "127.0.0.1", port: 0) : nil,
            tcp: tcp ? ListenAddress(host: "127.0.0.1", port: 0) : nil, tls: tls,
            maxMessageBytes: maxMessageBytes, maxConnections: maxConnections, receiveBufferBytes: 1024 * 1024)
    }

    /// Only 127.0.0.1 is allowed: one inventory device there.
    static let localResolver = EventSourceResolver(
        devices: [Device(name: "r1", host: "127.0.0.1", platform: "cisco_ios")], relays: [])

    static func with(
        _ settings: SyslogSettings, resolver: EventSourceResolver = localResolver,
        _ body: (SyslogListener, Inbox) async throws -> Void
    ) async throws {
        let inbox = Inbox()
        var logger = TestLogging.logger("test.syslog")
        logger.logLevel = .error
        let listener = try await SyslogListener.bind(settings: settings, resolver: resolver, logger: logger) {
            inbox.deliver($0)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await listener.run() }
            do {
                try await body(listener, inbox)
            } catch {
                listener.shutdown()
                throw error
            }
            listener.shutdown()
            try await group.waitForAll()
        }
    }
}

/// What the listener delivered, in order; `next()` waits for the next one.
final class Inbox: Sendable {
    private struct State {
        var delivered: [SyslogDatagram] = []
        var waiter: (id: UUID, continuation: CheckedContinuation<SyslogDatagram, any Error>)?
    }

    private let state = NIOLockedValueBox(State())

    func deliver(_ datagram: SyslogDatagram) {
        let waiter = state.withLockedValue { state -> CheckedContinuation<SyslogDatagram, any Error>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter.continuation
            }
            state.delivered.append(datagram)
            return nil
        }
        waiter?.resume(returning: datagram)
    }

    /// Messages delivered and not taken yet.
    var pending: Int { state.withLockedValue { $0.delivered.count } }

    /// The next message, or an error after a generous deadline: only so that a broken listener fails the test
    /// instead of hanging it; nothing here measures time.
    func next(orFailAfter deadline: Duration = .seconds(60)) async throws -> SyslogDatagram {
        let id = UUID()
        let deadlineTask = Task { [state] in
            try await Task.sleep(for: deadline)
            let waiter = state.withLockedValue { state -> CheckedContinuation<SyslogDatagram, any Error>? in
                guard let waiter = state.waiter, waiter.id == id else { return nil }
                state.waiter = nil
                return waiter.continuation
            }
            waiter?.resume(throwing: ToolError(description: "no syslog message delivered within \(deadline)"))
        }
        defer { deadlineTask.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLockedValue { state -> SyslogDatagram? in
                if !state.delivered.isEmpty { return state.delivered.removeFirst() }
                state.waiter = (id, continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
