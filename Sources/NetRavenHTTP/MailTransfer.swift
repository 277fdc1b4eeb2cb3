internal import CCurl
internal import CNetRavenShims
import Foundation
import NIOPosix

/// A message for an SMTP server: envelope, protection and the RFC 5322 text.
public struct MailRequest: Sendable {
    /// How the connection is protected.
    public enum Security: Sendable {
        /// `smtp://` upgraded with STARTTLS; the transfer fails if the server does not offer it.
        case starttls
        /// `smtps://`: TLS from the first byte.
        case tls
        /// No TLS (a relay on loopback).
        case none
    }

    /// `smtp://host:port` or `smtps://host:port`.
    public var url: String
    public var security: Security
    /// AUTH user name and password; never logged.
    public var credentials: HTTPRequest.Credentials?
    /// The envelope sender (`MAIL FROM`).
    public var from: String
    /// The envelope recipients (`RCPT TO`), each receiving the message.
    public var recipients: [String]
    /// The whole message, headers and body, lines ending in CRLF.
    public var message: [UInt8]
    /// A CA bundle to verify the server's certificate with, instead of the system's.
    public var caFile: String?
    public var timeout: Duration
    public var connectTimeout: Duration

    public init(
        url: String, security: Security, credentials: HTTPRequest.Credentials? = nil, from: String,
        recipients: [String], message: [UInt8], caFile: String? = nil, timeout: Duration = .seconds(60),
        connectTimeout: Duration = .seconds(10)
    ) {
        self.url = url
        self.security = security
        self.credentials = credentials
        self.from = from
        self.recipients = recipients
        self.message = message
        self.caFile = caFile
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }
}

/// Sends mail over SMTP through libcurl, each transfer on one of the client's own threads (libcurl blocks).
public final class MailClient: Sendable {
    private let threads: NIOThreadPool

    /// Starts `threads` transfer threads.
    public init(threads: Int = 1) {
        _ = HTTPClient.curlVersion  // runs curl_global_init before any transfer thread
        self.threads = NIOThreadPool(numberOfThreads: max(1, threads))
        self.threads.start()
    }

    /// Hands `request` to the server.
    /// - Throws: `HTTPError`: `.authenticationFailed` (wrong user or password), `.rejected` (a 5xx reply: sender,
    ///   recipient or message refused), `.tls`, or the transient `.unreachable`, `.timeout`, `.protocolError`
    ///   (a 4xx reply or a broken conversation). Messages never contain the password.
    public func send(_ request: MailRequest) async throws {
        do {
            try await threads.runIfActive { try MailTransfer(request).perform() }
        } catch let error as HTTPError {
            throw error
        } catch {
            throw HTTPError(.closed, "the mail client is shut down")
        }
    }

    /// Stops the threads after the running transfers.
    public func shutdown() async throws {
        try await threads.shutdownGracefully()
    }
}

/// One blocking SMTP transfer; lives on one thread from start to end.
private final class MailTransfer {
    let request: MailRequest
    var offset = 0

    init(_ request: MailRequest) {
        self.request = request
    }

    func perform() throws {
        guard !request.recipients.isEmpty else { throw HTTPError(.invalidRequest, "a mail needs a recipient") }
        guard let handle = curl_easy_init() else { throw HTTPError(.invalidRequest, "libcurl could not make a handle") }
        defer { curl_easy_cleanup(handle) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var recipientList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(recipientList) }

        let code: CURLcode = try errorBuffer.withUnsafeMutableBufferPointer { errors in
            try check(nr_curl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errors.baseAddress), "error buffer")
            try check(nr_curl_easy_setopt_string(handle, CURLOPT_URL, request.url), "URL")
            try check(nr_curl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps"), "protocols")
            // Signals are the process's, not libcurl's: with several threads, timeouts must not use SIGALRM.
            try check(nr_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "nosignal")
            try check(nr_curl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(request.timeout)), "timeout")
            try check(
                nr_curl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(request.connectTimeout)),
                "connect timeout")
            // CURLUSESSL_ALL makes STARTTLS mandatory: a server that does not offer it fails the transfer rather
            // than receiving the password in clear.
            let useSSL = request.security == .none ? CURLUSESSL_NONE : CURLUSESSL_ALL
            try check(nr_curl_easy_setopt_long(handle, CURLOPT_USE_SSL, Int(useSSL.rawValue)), "STARTTLS")
            if let caFile = request.caFile {
                try check(nr_curl_easy_setopt_string(handle, CURLOPT_CAINFO, caFile), "CA file")
            }
            if let credentials = request.credentials {
                try check(nr_curl_easy_setopt_string(handle, CURLOPT_USERNAME, credentials.user), "user name")
                try check(nr_curl_easy_setopt_string(handle, CURLOPT_PASSWORD, credentials.password), "password")
            }
            try check(nr_curl_easy_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(request.from)>"), "sender")
            for recipient in request.recipients {
                recipientList = curl_slist_append(recipientList, "<\(recipient)>")
            }
            try check(nr_curl_easy_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipientList), "recipients")
            try check(nr_curl_easy_setopt_long(handle, CURLOPT_UPLOAD, 1), "upload")
            try check(
                nr_curl_easy_setopt_offset(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(request.message.count)),
                "message size")
            let context = Unmanaged.passUnretained(self).toOpaque()
            try check(nr_curl_easy_setopt_pointer(handle, CURLOPT_READDATA, context), "read data")
            try check(nr_curl_easy_setopt_data_callback(handle, CURLOPT_READFUNCTION, readMessage), "read function")
            return curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            var reply = 0
            _ = nr_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &reply)
            let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            let replyText = reply > 0 ? " (reply \(reply))" : ""
            throw HTTPError(Self.classify(code, reply: reply), "SMTP \(request.url): \(text)\(replyText)")
        }
    }

    static func classify(_ code: CURLcode, reply: Int) -> HTTPError.Code {
        switch code {
        case CURLE_LOGIN_DENIED: return .authenticationFailed
        case CURLE_USE_SSL_FAILED: return .tls
        default: break
        }
        // The server's reply decides where it gave one: 5xx is final, 4xx asks to try again later.
        if (500..<600).contains(reply) { return .rejected }
        if (400..<500).contains(reply) { return .protocolError }
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT: return .unreachable
        case CURLE_OPERATION_TIMEDOUT: return .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE: return .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: return .invalidRequest
        default: return .protocolError
        }
    }

    private func check(_ code: CURLcode, _ what: String) throws {
        guard code == CURLE_OK else {
            throw HTTPError(
                .invalidRequest, "libcurl refused the \(what) option: \(String(cString: curl_easy_strerror(code)))")
        }
    }

    private func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    fileprivate func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, request.message.count - offset)
        guard count > 0 else { return 0 }
        request.message.withUnsafeBytes { bytes in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]))
        }
        offset += count
        return count
    }
}

/// libcurl's read callback: the context is the `MailTransfer`, passed unretained (it outlives `curl_easy_perform`).
private let readMessage: nr_curl_data_callback = { buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let transfer = Unmanaged<MailTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
}
