import Foundation
public import Logging
public import NetRavenAlerts
public import NetRavenCore
public import NetRavenJournal
import NetRavenS3
import ServiceLifecycle

/// What ships captures off the box: the S3 upload and alert handlers of an outbox worker, and the follow-up that
/// journals uploads and alerts after each capture. The daemon hands the follow-up to its coordinator; `netraven
/// backup` and `netraven sweep` call it for each result and run the worker until what is due is delivered.
public struct Shipping: Sendable {
    public var alerts: AlertCenter
    public var dispatcher: AlertDispatcher
    public var followUp: CaptureFollowUp

    /// Registers the handlers on `outbox`. `groupAlerts: false` sends each destination's alerts as soon as the
    /// worker runs (a one-shot sweep has routed them all already) instead of after the grouping window.
    public static func start(
        configuration: Configuration, journal: EventJournal, service: CaptureService, outbox: OutboxWorker,
        logger: Logger, groupAlerts: Bool = true
    ) async throws -> Shipping {
        if let settings = configuration.s3 {
            let client = try S3Client(settings: settings)
            let handler = S3UploadHandler(client: client, logger: logger)
            await outbox.register(kind: OutboxKind.s3Upload) { await handler.handle($0) }
        }
        var alertSettings = configuration.alerts
        if !groupAlerts {
            alertSettings.grouping.window = .zero
            for name in alertSettings.destinations.keys { alertSettings.destinations[name]?.grouping?.window = .zero }
        }
        // The alert handler is registered even without destinations: alerts journaled by an earlier
        // configuration are then rejected with the reason instead of waiting forever.
        let dispatcher = AlertDispatcher()
        let center = AlertCenter(
            settings: alertSettings, journal: journal, dispatcher: dispatcher,
            logger: logger.module("netraven.alerts"), wake: { await outbox.wake() })
        await outbox.register(kind: OutboxKind.alert) { await center.deliver($0) }
        let followUp = CaptureFollowUp(
            journal: journal, service: service, alerts: center, uploadsEnabled: configuration.s3 != nil,
            logger: logger, wake: { await outbox.wake() })
        return Shipping(alerts: center, dispatcher: dispatcher, followUp: followUp)
    }
}

extension Daemon {
    /// Looks for outbox items stuck too long once a minute and tells the alert routes (`outbox_stuck`).
    struct OutboxWatch: Service {
        let outbox: OutboxWorker
        let alerts: AlertCenter
        let devices: @Sendable () -> [Device]
        let logger: Logger

        func run() async throws {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                do {
                    // Cancelled by a graceful shutdown: a plain sleep held SIGTERM up for up to a minute.
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(60)) }
                } catch {
                    return
                }
                do {
                    let stuck = try await outbox.stuckItems()
                    let byName = Dictionary(devices().map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
                    await alerts.outboxStuck(stuck, devices: byName, at: Date())
                } catch {
                    logger.warning("cannot check the outbox for stuck items", metadata: ["reason": "\(error)"])
                }
            }
        }
    }
}
