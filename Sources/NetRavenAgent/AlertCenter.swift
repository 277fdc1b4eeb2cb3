public import Foundation
public import Logging
public import NetRavenCore
public import NetRavenJournal
public import NetRavenAlerts

/// Turns what the daemon sees into alerts and gets them delivered: change verdicts, failure streaks (unreachable N
/// captures in a row, a changed host key, refused credentials), recoveries, and outbox items stuck too long.
///
/// Every routed alert is journaled at once as an outbox item of kind `alert` (key: the destination) that comes due
/// after the destination's grouping window, so nothing routed is lost in a crash. When the first item of a
/// destination comes due, its handler takes every alert pending for that destination into ONE message: the first
/// `max_per_minute` in full and the rest as a digest. A failed delivery is retried with the outbox's backoff.
public actor AlertCenter {
    private let journal: EventJournal
    private let dispatcher: AlertDispatcher
    private let logger: Logger
    private var settings: AlertSettings
    private var streaks = FailureStreak()
    private var batcher: AlertBatcher<ContinuousClock.Instant>
    /// Outbox items already told as stuck (once per item and process).
    private var toldStuck: Set<Int64> = []
    /// Called after an alert is journaled, so the outbox worker looks again.
    private let wake: @Sendable () async -> Void

    public init(
        settings: AlertSettings, journal: EventJournal, dispatcher: AlertDispatcher, logger: Logger,
        wake: @escaping @Sendable () async -> Void
    ) {
        self.settings = settings
        self.journal = journal
        self.dispatcher = dispatcher
        self.logger = logger
        self.wake = wake
        batcher = AlertBatcher(defaultGrouping: settings.grouping, groupings: settings.groupings)
    }

    /// Takes reloaded settings (SIGHUP); alerts already journaled go to the destinations they were routed to.
    public func update(_ settings: AlertSettings) {
        self.settings = settings
        batcher = AlertBatcher(defaultGrouping: settings.grouping, groupings: settings.groupings)
    }

    /// True when no destination is configured: the daemon skips building alerts (and their diffs) at all.
    public var isSilent: Bool { settings.destinations.isEmpty || settings.routes.isEmpty }

    // MARK: What happened

    /// A change was committed with `verdict`; `diff` is the archive's unified diff of the device's configuration.
    public func changeCommitted(
        device: Device, verdict: ChangeVerdict, events: [ChangeEvent], commit: String?, diff: String?, at time: Date
    ) async {
        let recoveries = recoveries(of: device, at: time)
        await route(Alert.change(device: device, verdict: verdict, events: events, commit: commit, diff: diff, time: time))
        for recovery in recoveries { await route(recovery) }
    }

    /// A capture ended without a change (the device answered): ends its failure streaks.
    public func captureSucceeded(device: Device, at time: Date) async {
        for recovery in recoveries(of: device, at: time) { await route(recovery) }
    }

    /// A capture failed with `code` (CaptureError's class); classes that alerts know start or extend a streak.
    public func captureFailed(device: Device, code: String, detail: String, at time: Date) async {
        guard let failure = Self.failureClass(forCaptureCode: code) else { return }
        if case .failing(let failure, let count) = streaks.recordFailure(failure, subject: device.name) {
            await route(Alert.failure(failure, device: device, count: count, detail: detail, time: time))
        }
    }

    /// Outbox items pending too long or retried too often: told once each.
    public func outboxStuck(_ items: [(OutboxItem, OutboxRetryPolicy.Stuck)], devices: [String: Device], at time: Date)
        async
    {
        for (item, stuck) in items where item.kind != OutboxKind.alert && toldStuck.insert(item.id).inserted {
            // An upload is keyed by device; a push by "archive": a pseudo-device names it then.
            let device = devices[item.key] ?? Device(name: item.key, host: "-", platform: "-", group: "outbox")
            let detail = "\(item.kind) for \(item.key) pending since \(ISO8601DateFormatter().string(from: item.createdAt)), "
                + "\(item.attempts) attempts: \(stuck)" + (item.lastError.map { "; last error: \($0)" } ?? "")
            await route(Alert.failure(.outboxStuck, device: device, count: item.attempts, detail: detail, time: time))
        }
    }

    // MARK: Routing and delivery

    /// A success ends the device's failure streaks: one recovery alert for each (routes decide who hears it).
    private func recoveries(of device: Device, at time: Date) -> [Alert] {
        streaks.recordSuccess(subject: device.name).compactMap { outcome in
            guard case .recovered(let failure, let count) = outcome else { return nil }
            return Alert.recovery(failure, device: device, count: count, time: time)
        }
    }

    private func route(_ alert: Alert) async {
        let destinations = settings.router.destinations(for: alert)
        guard !destinations.isEmpty else { return }
        let now = Date()
        for destination in destinations {
            let window = (settings.destinations[destination]?.grouping ?? settings.grouping).window
            do {
                try await journal.enqueue(
                    kind: OutboxKind.alert, key: destination, request: alert, at: now,
                    notBefore: now.addingTimeInterval(window.seconds))
            } catch {
                logger.error(
                    "alert could not be journaled",
                    metadata: ["device": "\(alert.device)", "destination": "\(destination)", "reason": "\(error)"])
            }
        }
        logger.info(
            "alert routed",
            metadata: [
                "device": "\(alert.device)", "alert": "\(alert.kind.rawValue)", "severity": "\(alert.severity.rawValue)",
                "destinations": "\(destinations.joined(separator: ","))",
            ])
        await wake()
    }

    /// The outbox handler of kind `alert`: delivers every alert pending for the item's destination as one message.
    public func deliver(_ item: OutboxItem) async -> OutboxResult {
        let destination = item.key
        let pending: [OutboxItem]
        do {
            pending = try await journal.pendingItems(kind: OutboxKind.alert, key: destination)
        } catch {
            return .retry("journal: \(error)")
        }
        var alerts: [Alert] = []
        var unreadable: [String] = []
        for entry in pending.contains(where: { $0.id == item.id }) ? pending : [item] + pending {
            do {
                alerts.append(try entry.decodePayload(Alert.self))
            } catch {
                unreadable.append("item \(entry.id): \(error)")
            }
        }
        guard !alerts.isEmpty else { return .reject("unreadable alert: \(unreadable.joined(separator: "; "))") }
        guard settings.destinations[destination] != nil else {
            return .reject("no destination '\(destination)' in the configuration (removed since the alert was routed)")
        }
        let now = ContinuousClock.now
        for alert in alerts { batcher.add(alert, to: [destination], at: now) }
        guard let batch = batcher.flush(at: now).first(where: { $0.destination == destination }) else {
            return .reject("nothing to send")
        }
        do {
            try await dispatcher.deliver(batch, using: settings)
        } catch let error as AlertError {
            return .failed("\(error)", isTransient: error.isTransient)
        } catch {
            return .retry("\(error)")
        }
        // The handled item is marked by the worker; the others that went into this message are done too.
        for entry in pending where entry.id != item.id {
            do {
                try await journal.markDelivered(item: entry.id)
            } catch {
                logger.error("alert delivered but not marked", metadata: ["item": "\(entry.id)", "reason": "\(error)"])
            }
        }
        logger.notice(
            "alert delivered",
            metadata: [
                "destination": "\(destination)", "alerts": "\(batch.alerts.count)",
                "digest": "\(batch.digest?.count ?? 0)",
            ])
        return .delivered
    }

    /// Capture error classes that alerts route on.
    static func failureClass(forCaptureCode code: String) -> AlertFailureClass? {
        switch code {
        case "unreachable", "timeout": .unreachable
        case "hostKeyChanged": .hostKeyChanged
        case "authenticationFailed": .authenticationFailed
        default: nil
        }
    }
}
