import NIOPosix
public import NetRavenCore
import NetRavenHTTP

/// Delivers alert batches to destinations of every type: the one entry point the daemon (and its outbox handler
/// for kind "alert") calls.
///
/// Owns the transfer threads: HTTP and SMTP through libcurl, exec hooks and syslog sockets on threads of its own,
/// so no blocking call runs on Swift's cooperative pool.
public final class AlertDispatcher: Sendable {
    private let http: HTTPClient
    private let mail: MailClient
    private let threads: NIOThreadPool

    /// Starts the dispatcher's threads (`threads` per kind of transfer).
    public init(threads: Int = 2) {
        http = HTTPClient(threads: threads)
        mail = MailClient(threads: 1)
        self.threads = NIOThreadPool(numberOfThreads: max(1, threads))
        self.threads.start()
    }

    /// Delivers `batch` to `destination` as one message (syslog: one line per alert and one for the digest).
    /// - Throws: `AlertError`; `isTransient` says whether to retry later.
    public func deliver(_ batch: AlertBatch, to destination: AlertDestination) async throws {
        let name = destination.name
        switch destination.kind {
        case .webhook(let settings):
            var headers = settings.headers.sorted { $0.key < $1.key }.map { HTTPHeader($0.key, $0.value) }
            if let token = settings.bearerToken { headers.append(HTTPHeader("Authorization", "Bearer \(token.value)")) }
            try await http.postAlert(
                try AlertJSON.encode(batch), url: settings.url.value, headers: headers, timeout: settings.timeout,
                destination: name)
        case .slack(let settings):
            try await http.postAlert(
                try SlackMessage.payload(batch, maxDiffLines: settings.maxDiffLines), url: settings.url.value,
                headers: [], timeout: settings.timeout, destination: name)
        case .email(let settings):
            try await EmailSender(settings: settings, destination: name, client: mail).deliver(batch)
        case .exec(let settings):
            try await ExecHook(settings: settings, destination: name, threads: threads).deliver(batch)
        case .syslog(let settings):
            try await SyslogForwarder(settings: settings, destination: name, threads: threads).deliver(batch)
        }
    }

    /// Delivers `batch` to the destination it names in `settings`.
    /// - Throws: `AlertError` (`.invalidConfiguration` when the destination is no longer configured).
    public func deliver(_ batch: AlertBatch, using settings: AlertSettings) async throws {
        guard let destination = settings.destinations[batch.destination] else {
            throw AlertError(
                .invalidConfiguration, destination: batch.destination, "no such destination in alerts.destinations")
        }
        try await deliver(batch, to: destination)
    }

    /// Stops the threads after running deliveries.
    public func shutdown() async throws {
        try await http.shutdown()
        try await mail.shutdown()
        try await threads.shutdownGracefully()
    }
}
