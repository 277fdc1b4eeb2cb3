import ArgumentParser
import Foundation
import Logging
import NetRavenAgent
import NetRavenAPI
import NetRavenCore
import NetRavenMetrics

extension NetRavenCommand {
    /// The daemon.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the daemon: syslog and SNMP trap listeners, debounced captures, journal, scheduled sweeps.",
            discussion: """
                Logs JSON lines on stderr. Once the listeners are bound, prints one JSON line on stdout with their \
                ports ({"ready":true,"syslogUDP":5514,...}). SIGTERM/SIGINT stop gracefully (captures in flight \
                finish; pending events stay in the journal); SIGHUP reloads inventory, credentials and rules. \
                See docs/daemon.md.
                """
        )

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let configuration = try global.loadConfiguration()
            let global = self.global
            let logger = Logger(label: "netraven")
            do {
                try await Daemon.run(
                    configuration: configuration, logger: logger,
                    reload: {
                        let fresh = try ConfigurationLoader(
                            stateDirectoryOverride: global.stateDir, rulesDirectoryOverride: global.rulesDir
                        ).load(path: global.configPath)
                        // The log file and its limits change at once; levels apply to loggers made from now on.
                        bootstrapLogging(fresh.settings.logging, override: global.logLevel)
                        return fresh
                    },
                    ready: { ports in
                        struct Ready: Encodable {
                            var ready = true
                            var ports: Daemon.Ports
                        }
                        let encoder = JSONEncoder()
                        encoder.outputFormatting = .sortedKeys
                        if let data = try? encoder.encode(Ready(ports: ports)) {
                            Output.line(String(decoding: data, as: UTF8.self))
                        }
                    },
                    services: { parts in
                        try APIServer.daemonServices(
                            parts, logger: logger, metrics: { MetricsRegistry.shared.exposition() })
                    })
            } catch let error as DiagnosticError {
                Output.error(error.description)
                throw ExitCode(ExitStatus.usage)
            } catch {
                Output.error("netraven run: \(error)")
                throw ExitCode(ExitStatus.usage)
            }
        }
    }
}
