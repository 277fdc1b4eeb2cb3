import Glibc
import Logging
import NetRavenCore
import NetRavenSyslog
import NetRavenTestSupport
import ServiceLifecycle
import Testing

/// The listener as the daemon runs it: a service in a ServiceGroup, stopped by graceful shutdown.
@Suite struct SyslogServiceGroupTests {
    @Test func gracefulShutdownDeliversWhatWasReadAndReturns() async throws {
        let inbox = Inbox()
        var logger = TestLogging.logger("test.syslog")
        logger.logLevel = .error
        let listener = try await SyslogListener.bind(
            settings: ListenerHarness.settings(udp: true, tcp: true), resolver: ListenerHarness.localResolver,
            logger: logger
        ) { inbox.deliver($0) }
        let group = ServiceGroup(
            configuration: .init(services: [listener], gracefulShutdownSignals: [], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let tcp = try LoopbackSocket(source: "127.0.0.1", type: SOCK_STREAM)
            try tcp.connect(port: try #require(listener.ports[.tcp]))
            try tcp.send(Array("<13>before shutdown\n".utf8))
            #expect(try await inbox.next().text == "<13>before shutdown")

            await group.triggerGracefulShutdown()
            // The open connection is closed by the shutdown, and the group finishes.
            try await tcp.waitForClose()
            try await tasks.waitForAll()
        }
        #expect(listener.counters.connectionsOpen == 0)
        #expect(listener.counters.received(.tcp) == 1)
    }
}
