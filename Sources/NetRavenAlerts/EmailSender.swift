import Foundation
import NetRavenCore
import NetRavenHTTP

/// Sends a batch as one e-mail over SMTP (libcurl): STARTTLS or TLS, AUTH, several recipients.
struct EmailSender {
    let settings: AlertDestination.EmailSettings
    let destination: String
    let client: MailClient

    func deliver(_ batch: AlertBatch) async throws {
        let domain = settings.from.split(separator: "@").last.map(String.init) ?? "netraven.invalid"
        var message = MailMessage(
            from: settings.from, to: settings.to, subject: "\(settings.subjectPrefix) \(batch.title)",
            body: AlertText.body(batch), date: Date(), domain: domain)
        message.extraHeaders = [
            ("X-NetRaven-Severity", batch.severity.rawValue), ("X-NetRaven-Count", "\(batch.totalCount)"),
        ]
        let security: MailRequest.Security =
            switch settings.security {
            case .starttls: .starttls
            case .tls: .tls
            case .none: .none
            }
        let credentials = settings.username.map {
            HTTPRequest.Credentials(user: $0, password: settings.password?.value ?? "")
        }
        let request = MailRequest(
            url: settings.url, security: security, credentials: credentials, from: settings.from,
            recipients: settings.to, message: message.bytes, caFile: settings.caFile, timeout: settings.timeout)
        do {
            try await client.send(request)
        } catch let error as HTTPError {
            var text = error.message
            if let password = settings.password?.value, !password.isEmpty {
                text = text.replacingOccurrences(of: password, with: "<redacted>")  // belt and braces
            }
            throw AlertError(HTTPClient.alertCode(error.code), destination: destination, text)
        }
    }
}
