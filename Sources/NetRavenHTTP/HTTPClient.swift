internal import CCurl
internal import CNetRavenShims
import Foundation
import NIOPosix

/// Sends HTTP requests through libcurl, each transfer start to finish on one of the client's own threads (libcurl
/// blocks; it never runs on Swift's cooperative pool).
public final class HTTPClient: Sendable {
    private let threads: NIOThreadPool

    /// `curl_global_init` must run once before any thread uses libcurl.
    private static let globalInit: CURLcode = nr_curl_global_init()

    /// Starts `threads` transfer threads: that many transfers run at once, the rest wait.
    public init(threads: Int = 2) {
        _ = Self.globalInit
        self.threads = NIOThreadPool(numberOfThreads: max(1, threads))
        self.threads.start()
    }

    /// The libcurl version in use.
    public static var curlVersion: String {
        _ = globalInit
        return String(cString: nr_curl_version_string())
    }

    /// Sends `request` and returns the response, whatever its status.
    /// - Throws: `HTTPError` when no response arrived.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            return try await threads.runIfActive { try Transfer(request).perform() }
        } catch let error as HTTPError {
            throw error
        } catch {
            throw HTTPError(.closed, "the HTTP client is shut down")
        }
    }

    /// Stops the threads after the running transfers.
    public func shutdown() async throws {
        try await threads.shutdownGracefully()
    }
}

/// One blocking transfer; lives on one thread from start to end.
private final class Transfer {
    let request: HTTPRequest
    var status = 0
    var headers: [HTTPHeader] = []
    var body: [UInt8] = []
    var overflowed = false

    init(_ request: HTTPRequest) {
        self.request = request
    }

    func perform() throws -> HTTPResponse {
        guard let handle = curl_easy_init() else { throw HTTPError(.invalidRequest, "libcurl could not make a handle") }
        defer { curl_easy_cleanup(handle) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }

        let code: CURLcode = try errorBuffer.withUnsafeMutableBufferPointer { errors in
            try check(nr_curl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errors.baseAddress), "error buffer")
            try check(nr_curl_easy_setopt_string(handle, CURLOPT_URL, request.url), "URL")
            // Signals are the process's, not libcurl's: with several threads, timeouts must not use SIGALRM.
            try check(nr_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "nosignal")
            try check(nr_curl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout)), "timeout")
            try check(
                nr_curl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout)),
                "connect timeout")
            try check(nr_curl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"), "protocols")
            switch request.method {
            case "GET": try check(nr_curl_easy_setopt_long(handle, CURLOPT_HTTPGET, 1), "GET")
            case "HEAD": try check(nr_curl_easy_setopt_long(handle, CURLOPT_NOBODY, 1), "HEAD")
            default: try check(nr_curl_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method), "method")
            }
            if !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(request.method) {
                try check(nr_curl_easy_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)), "body size")
                try request.body.withUnsafeBytes { bytes in
                    // COPYPOSTFIELDS copies the body, so the buffer need not outlive this call.
                    try check(
                        nr_curl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!)),
                        "body")
                }
            }
            // An empty "Expect:" turns off 100-continue, but curl 7.88 signs it for SigV4 without sending it, so
            // S3 answers SignatureDoesNotMatch: signed requests keep curl's Expect handling (S3 answers 100).
            let expect = request.awsSigV4 == nil ? [HTTPHeader("Expect", "")] : []
            for header in request.headers + expect {
                headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
            }
            try check(nr_curl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), "headers")
            if let credentials = request.credentials {
                try check(
                    nr_curl_easy_setopt_string(handle, CURLOPT_USERPWD, "\(credentials.user):\(credentials.password)"), "credentials")
            }
            if let provider = request.awsSigV4 {
                try check(nr_curl_easy_setopt_string(handle, CURLOPT_AWS_SIGV4, provider), "AWS SigV4")
            }
            let context = Unmanaged.passUnretained(self).toOpaque()
            try check(nr_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context), "write data")
            try check(nr_curl_easy_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, writeBody), "write function")
            try check(nr_curl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context), "header data")
            try check(nr_curl_easy_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, writeHeader), "header function")
            return curl_easy_perform(handle)
        }
        if overflowed {
            throw HTTPError(.tooLarge, "response from \(Self.redacted(request.url)) exceeds \(request.maximumResponseBytes) bytes")
        }
        guard code == CURLE_OK else {
            let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw HTTPError(Self.classify(code), "\(request.method) \(Self.redacted(request.url)): \(text)")
        }
        var response: Int = 0
        _ = nr_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &response)
        return HTTPResponse(status: response, headers: headers, body: body)
    }

    private func check(_ code: CURLcode, _ what: String) throws {
        guard code == CURLE_OK else {
            throw HTTPError(.invalidRequest, "libcurl refused the \(what) option: \(String(cString: curl_easy_strerror(code)))")
        }
    }

    static func classify(_ code: CURLcode) -> HTTPError.Code {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT: .unreachable
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE:
            .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: .invalidRequest
        default: .protocolError
        }
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    /// The URL without user information, for messages.
    static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@"),
            !url[scheme.upperBound..<at].contains("/")
        else { return url }
        return String(url[..<scheme.upperBound]) + "<redacted>@" + String(url[url.index(after: at)...])
    }

    fileprivate func appendBody(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard body.count + bytes.count <= request.maximumResponseBytes else {
            overflowed = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    fileprivate func appendHeader(_ line: String) {
        let trimmed = line.trimmingCharacters(in: ["\r", "\n"])
        if trimmed.hasPrefix("HTTP/") {
            headers.removeAll()  // a new response (after 100 Continue or a redirect): keep only the last one's
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let name = String(trimmed[..<colon])
        let value = String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: [" ", "\t"])
        headers.append(HTTPHeader(name, value))
    }
}

/// libcurl's body callback: the context is the `Transfer`, passed unretained (it outlives `curl_easy_perform`).
private let writeBody: nr_curl_data_callback = { buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    let accepted = buffer.withMemoryRebound(to: UInt8.self, capacity: length) {
        transfer.appendBody(UnsafeBufferPointer(start: $0, count: length))
    }
    return accepted ? length : 0  // a short count makes libcurl abort the transfer
}

private let writeHeader: nr_curl_data_callback = { buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    let line = buffer.withMemoryRebound(to: UInt8.self, capacity: length) {
        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
    transfer.appendHeader(line)
    return length
}
