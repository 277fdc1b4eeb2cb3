import ServiceLifecycle

/// The outbox worker's life in the daemon's ServiceGroup: start (picking up what a previous run left pending), and
/// on graceful shutdown let deliveries in flight finish.
///
/// Listed after the core service, so it stops first: a push in flight ends before the archive closes. Pushes that
/// commits made during the shutdown enqueue stay pending and go with the next start.
struct OutboxService: Service {
    let worker: OutboxWorker

    func run() async throws {
        try await worker.start()
        try? await gracefulShutdown()
        await worker.drain()
    }
}
