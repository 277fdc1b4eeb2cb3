public import Foundation

/// Turns one received syslog message or trap into a change event for an inventory device, or says why not.
///
/// Pure: the daemon builds one from the configuration (and rebuilds it on reload), and the listeners' handlers
/// ask it about every message. Device resolution follows `EventSourceResolver`: the packet's source address, the
/// hostname in the message, aliases; a relay's messages resolve by the hostname inside them.
public struct EventClassifier: Sendable {
    /// What a message amounts to.
    public enum Verdict: Sendable, Equatable {
        /// A configuration change on an inventory device.
        case change(ChangeEvent)
        /// From a known device, but not a configuration change (a `show` command, a link trap, a read).
        case notAChange(device: String, rule: String?)
        /// From a relay or shared address, naming no inventory device.
        case unresolved(hostname: String?)
        /// From a sender that is neither an inventory device nor a relay.
        case rejected
        /// Not a syslog message (the parse error's code).
        case malformed(String)
    }

    let syslogResolver: EventSourceResolver
    let trapResolver: EventSourceResolver
    let platforms: [String: String]
    let syslogRules: SyslogRuleBook
    /// The syslog rules that apply to each inventory platform, in book order: a message from a known device is
    /// matched only against these instead of filtering every rule of every vendor per message.
    let syslogRulesByPlatform: [String: SyslogRuleBook]
    let trapRules: TrapRuleBook

    /// A classifier over the configuration's devices and rules, with resolvers built by the caller (they may need
    /// DNS lookups, see `EventSourceResolver.build`).
    public init(configuration: Configuration, syslogResolver: EventSourceResolver, trapResolver: EventSourceResolver) {
        self.syslogResolver = syslogResolver
        self.trapResolver = trapResolver
        platforms = Dictionary(configuration.devices.map { ($0.name, $0.platform) }, uniquingKeysWith: { a, _ in a })
        syslogRules = configuration.rules.syslog
        syslogRulesByPlatform = Dictionary(
            Set(platforms.values).map { platform in
                let rules = configuration.rules.syslog.rules.filter { $0.platforms.contains(platform) }
                return (platform, SyslogRuleBook(rules: rules, notes: configuration.rules.syslog.notes))
            },
            uniquingKeysWith: { first, _ in first })
        trapRules = configuration.trapRules
    }

    /// Classifies one syslog message as received (`bytes` without framing) from `peer`. `id` is evaluated only for
    /// a change (a fresh UUID per message would cost more than classifying the noise).
    public func classify(
        syslog bytes: [UInt8], peer: String, receivedAt: Date, id: @autoclosure () -> String
    ) -> Verdict {
        let message: SyslogMessage
        do {
            message = try SyslogMessage.parse(bytes, reference: receivedAt)
        } catch {
            return .malformed(error.code.description)
        }
        var resolution = syslogResolver.resolve(peer: peer, hostname: message.hostname)
        if resolution == .relayUnresolved {
            // The host may sit in the message body rather than the header (`host` capture of a rule).
            let unknownPlatform = syslogRules.classify(message, platform: nil)
            if let host = unknownPlatform.host, host != message.hostname {
                resolution = syslogResolver.resolve(peer: peer, hostname: host)
            }
        }
        switch resolution {
        case .rejected: return .rejected
        case .relayUnresolved: return .unresolved(hostname: message.hostname)
        case .device(let device):
            let platform = platforms[device]
            let rules = platform.flatMap { syslogRulesByPlatform[$0] } ?? syslogRules
            let verdict = rules.classify(message, platform: platform)
            guard verdict.change else { return .notAChange(device: device, rule: verdict.rule) }
            return .change(
                ChangeEvent(
                    id: id(), kind: .syslog, device: device, user: verdict.user, source: verdict.source,
                    time: receivedAt, raw: String(decoding: bytes, as: UTF8.self), change: verdict.kind,
                    commit: verdict.commit, rule: verdict.rule, comment: verdict.comment))
        }
    }

    /// Classifies one trap or inform. A v1 trap's agent address names the device when a relay forwarded it.
    public func classify(trap: ReceivedTrap, receivedAt: Date, id: String) -> Verdict {
        switch trapResolver.resolve(peer: trap.peerAddress, hostname: trap.agentAddress) {
        case .rejected: return .rejected
        case .relayUnresolved: return .unresolved(hostname: trap.agentAddress)
        case .device(let device):
            let verdict = trapRules.classify(trapOID: trap.trapOID, varbinds: trap.varbinds)
            guard verdict.change else { return .notAChange(device: device, rule: verdict.rule) }
            return .change(
                ChangeEvent(
                    id: id, kind: .trap, device: device, user: verdict.user, source: verdict.source ?? verdict.terminal,
                    time: receivedAt, raw: trap.description, change: verdict.kind, rule: verdict.rule,
                    comment: verdict.comment))
        }
    }
}
