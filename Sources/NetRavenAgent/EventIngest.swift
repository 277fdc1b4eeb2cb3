import Foundation
import Logging
import NetRavenCore
import NetRavenSyslog
import Synchronization

/// Between the listeners and the coordinator: classifies each message and journals the changes (through the
/// coordinator) before the listener acknowledges it. Counts what it drops and why.
final class EventIngest: Sendable {
    /// What became of received messages.
    struct Counters: Sendable, CustomStringConvertible {
        var changes = 0
        var notChanges = 0
        var unresolved = 0
        var rejected = 0
        var malformed: [String: Int] = [:]
        var journalFailures = 0

        var description: String {
            "changes=\(changes) not_changes=\(notChanges) unresolved=\(unresolved) rejected=\(rejected) "
                + "malformed=\(malformed.values.reduce(0, +)) journal_failures=\(journalFailures)"
        }
    }

    private struct State {
        var classifier: EventClassifier
        var syslogResolver: EventSourceResolver
        var counters = Counters()
        var senderWarnings = WarningRateLimiter<ContinuousClock.Instant>(maxLinesPerInterval: 5, interval: .seconds(60))
    }

    private let state: Mutex<State>
    private let coordinator: CaptureCoordinator
    private let logger: Logger

    init(classifier: (EventClassifier, EventSourceResolver), coordinator: CaptureCoordinator, logger: Logger) {
        state = Mutex(State(classifier: classifier.0, syslogResolver: classifier.1))
        self.coordinator = coordinator
        self.logger = logger
    }

    /// Builds the classifier and the syslog listener's resolver for a configuration (DNS names resolved).
    static func classifier(
        for configuration: Configuration, logger: Logger
    ) async -> (EventClassifier, EventSourceResolver) {
        let syslogResolver = await EventSourceResolver.build(
            devices: configuration.devices, relays: configuration.syslog.relays, lookup: HostAddressLookup.addresses(of:))
        let trapRelays = (configuration.snmp?.relays ?? []).compactMap(IPPrefix.init)
        let trapResolver = await EventSourceResolver.build(
            devices: configuration.devices, relays: trapRelays, lookup: HostAddressLookup.addresses(of:))
        for host in syslogResolver.unresolvedHosts {
            logger.warning(
                "inventory host has no address; its messages resolve by hostname only", metadata: ["host": "\(host)"])
        }
        return (
            EventClassifier(configuration: configuration, syslogResolver: syslogResolver, trapResolver: trapResolver),
            syslogResolver
        )
    }

    var syslogResolver: EventSourceResolver { state.withLock { $0.syslogResolver } }
    var counters: Counters { state.withLock { $0.counters } }

    func update(classifier: (EventClassifier, EventSourceResolver)) {
        state.withLock {
            $0.classifier = classifier.0
            $0.syslogResolver = classifier.1
        }
    }

    /// A syslog message: returns once a change is journaled (the TCP listener reads on only then).
    func received(_ datagram: SyslogDatagram) async {
        let classifier = state.withLock { $0.classifier }
        let verdict = classifier.classify(
            syslog: datagram.bytes, peer: datagram.peer, receivedAt: datagram.receivedAt, id: Self.newEventID())
        _ = await handle(verdict, peer: datagram.peer, transport: datagram.transport.rawValue)
    }

    /// A trap, on the receiver's own thread: blocks it until the event is journaled, so an inform is answered only
    /// then. Returns false (no answer) when the journal failed or the sender is not allowed.
    func receivedBlocking(_ trap: ReceivedTrap) -> Bool {
        let classifier = state.withLock { $0.classifier }
        let verdict = classifier.classify(trap: trap, receivedAt: Date(), id: Self.newEventID())
        let done = DispatchSemaphore(value: 0)
        let accepted = Mutex(false)
        Task {
            let ok = await self.handle(verdict, peer: trap.peerAddress, transport: "snmp")
            accepted.withLock { $0 = ok }
            done.signal()
        }
        done.wait()
        return accepted.withLock { $0 }
    }

    private func handle(_ verdict: EventClassifier.Verdict, peer: String, transport: String) async -> Bool {
        switch verdict {
        case .change(let event):
            do {
                try await coordinator.submit(event, peer: peer, transport: transport)
                state.withLock { $0.counters.changes += 1 }
                logger.info(
                    "change event",
                    metadata: [
                        "device": "\(event.device)", "event": "\(event.id)", "user": "\(event.user ?? "-")",
                        "source": "\(event.source ?? "-")", "rule": "\(event.rule ?? "-")", "transport": "\(transport)",
                    ])
                return true
            } catch {
                state.withLock { $0.counters.journalFailures += 1 }
                logger.critical(
                    "journal write failed: change event NOT recorded",
                    metadata: ["device": "\(event.device)", "raw": "\(event.raw ?? "")", "reason": "\(error)"])
                return false
            }
        case .notAChange(let device, let rule):
            state.withLock { $0.counters.notChanges += 1 }
            logger.debug("not a configuration change", metadata: ["device": "\(device)", "rule": "\(rule ?? "-")"])
            return true
        case .unresolved(let hostname):
            let verdict = state.withLock { state -> WarningRateLimiter<ContinuousClock.Instant>.Decision in
                state.counters.unresolved += 1
                return state.senderWarnings.record(source: peer, at: .now)
            }
            if case .log(let suppressed) = verdict {
                logger.warning(
                    "message from a relay names no inventory device",
                    metadata: ["peer": "\(peer)", "hostname": "\(hostname ?? "-")", "suppressed_since_last": "\(suppressed)"])
            }
            return true
        case .rejected:
            // The syslog listener already dropped unknown senders; a trap from one is refused here (no inform
            // answer), counted, and logged at a limited rate.
            let decision = state.withLock { state -> WarningRateLimiter<ContinuousClock.Instant>.Decision in
                state.counters.rejected += 1
                return state.senderWarnings.record(source: peer, at: .now)
            }
            if case .log(let suppressed) = decision {
                logger.warning(
                    "event from a sender that is neither an inventory device nor a relay, dropped",
                    metadata: ["peer": "\(peer)", "transport": "\(transport)", "suppressed_since_last": "\(suppressed)"])
            }
            return false
        case .malformed(let code):
            state.withLock { $0.counters.malformed[code, default: 0] += 1 }
            logger.debug("malformed syslog message", metadata: ["peer": "\(peer)", "reason": "\(code)"])
            return true
        }
    }

    static func newEventID() -> String { UUID().uuidString.lowercased() }
}
