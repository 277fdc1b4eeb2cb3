import NetRavenHTTP

extension HTTPClient {
    /// POSTs a JSON alert document and maps the outcome: 2xx delivered; 5xx, 429 and network failures transient;
    /// other statuses permanent. `url` is a secret (it may carry a token), so messages name the destination only.
    func postAlert(
        _ body: [UInt8], url: String, headers: [HTTPHeader], timeout: Duration, destination: String
    ) async throws {
        let request = HTTPRequest(
            method: "POST", url: url, headers: [HTTPHeader("Content-Type", "application/json")] + headers,
            body: body, timeout: timeout, maximumResponseBytes: 64 << 10)
        let response: HTTPResponse
        do {
            response = try await send(request)
        } catch let error as HTTPError {
            throw AlertError(Self.alertCode(error.code), destination: destination, "POST failed: \(error.code)")
        }
        switch response.status {
        case 200..<300:
            return
        case 429, 500..<600:
            throw AlertError(.serverError, destination: destination, "the receiver answered \(response.status)")
        case 401, 403:
            throw AlertError(
                .authenticationFailed, destination: destination,
                "the receiver refused the credentials (\(response.status))")
        default:
            let reason = String(response.text.prefix(200)).trimmingCharacters(in: .whitespacesAndNewlines)
            throw AlertError(
                .rejected, destination: destination, "the receiver answered \(response.status): \(reason)")
        }
    }

    static func alertCode(_ code: HTTPError.Code) -> AlertError.Code {
        switch code {
        case .unreachable: .unreachable
        case .timeout: .timeout
        case .tls: .tls
        case .authenticationFailed: .authenticationFailed
        case .rejected: .rejected
        case .invalidRequest: .invalidConfiguration
        default: .serverError
        }
    }
}
