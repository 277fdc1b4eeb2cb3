import Foundation
import Logging
import NetRavenAlerts
import NetRavenCore
import NetRavenJournal
import NetRavenS3
import ServiceLifecycle

extension Daemon {
    /// What ships captures off the box: the S3 upload and alert handlers of the outbox, and the follow-up that
    /// journals uploads and alerts after each capture.
    struct Shipping: Sendable {
        var alerts: AlertCenter?
        var dispatcher: AlertDispatcher?

        /// Registers the handlers and hands the coordinator its follow-up.
        static func start(
            configuration: Configuration, journal: EventJournal, service: CaptureService, outbox: OutboxWorker,
            coordinator: CaptureCoordinator, logger: Logger
        ) async throws -> Shipping {
            var shipping = Shipping()
            if let settings = configuration.s3 {
                let client = try S3Client(settings: settings)
                let handler = S3UploadHandler(client: client, logger: logger)
                await outbox.register(kind: OutboxKind.s3Upload) { await handler.handle($0) }
            }
            // The alert handler is registered even without destinations: alerts journaled by an earlier
            // configuration are then rejected with the reason instead of waiting forever.
            let dispatcher = AlertDispatcher()
            let center = AlertCenter(
                settings: configuration.alerts, journal: journal, dispatcher: dispatcher,
                logger: logger.module("netraven.alerts"), wake: { await outbox.wake() })
            await outbox.register(kind: OutboxKind.alert) { await center.deliver($0) }
            shipping.alerts = center
            shipping.dispatcher = dispatcher
            await coordinator.setFollowUp(
                CaptureFollowUp(
                    journal: journal, service: service, alerts: center, uploadsEnabled: configuration.s3 != nil,
                    logger: logger, wake: { await outbox.wake() }))
            return shipping
        }
    }

    /// Looks for outbox items stuck too long once a minute and tells the alert routes (`outbox_stuck`).
    struct OutboxWatch: Service {
        let outbox: OutboxWorker
        let alerts: AlertCenter
        let devices: @Sendable () -> [Device]
        let logger: Logger

        func run() async throws {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                do {
                    try await Task.sleep(for: .seconds(60))
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
