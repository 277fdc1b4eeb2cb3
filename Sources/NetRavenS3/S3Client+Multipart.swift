import Crypto
import Foundation
import NetRavenHTTP

/// One uploaded part, as `CompleteMultipartUpload` names it.
public struct S3CompletedPart: Sendable, Equatable {
    /// 1-based part number.
    public var number: Int
    /// The part's ETag (without quotes).
    public var etag: String
    /// The part's SHA-256, base64.
    public var checksumSHA256: String
}

extension S3Client {
    /// Uploads `body` in parts of `settings.partSize` (each with its own `Content-MD5` and SHA-256 checksum);
    /// any failure aborts the upload so no orphaned parts are billed, then rethrows.
    public func putObjectMultipart(
        key: String, body: [UInt8], options: S3PutOptions = S3PutOptions()
    ) async throws -> S3PutResult {
        let uploadID = try await createMultipartUpload(key: key, options: options)
        do {
            var parts: [S3CompletedPart] = []
            for (index, range) in S3Digests.partRanges(count: body.count, partSize: settings.partSize).enumerated() {
                parts.append(
                    try await uploadPart(key: key, uploadID: uploadID, number: index + 1, body: Array(body[range])))
            }
            return try await completeMultipartUpload(key: key, uploadID: uploadID, parts: parts)
        } catch {
            try? await abortMultipartUpload(key: key, uploadID: uploadID)
            throw error
        }
    }

    /// Starts a multipart upload with `options` (metadata, encryption, Object Lock) and SHA-256 part checksums.
    public func createMultipartUpload(key: String, options: S3PutOptions) async throws -> String {
        let response = try await send(
            S3Request(
                method: "POST", key: key, query: [("uploads", "")],
                headers: options.headers() + [HTTPHeader("x-amz-checksum-algorithm", "SHA256")],
                contentType: options.contentType),
            what: "start multipart upload of \(key)")
        guard let document = XMLNode.parse(response.body), let uploadID = document.value("UploadId") else {
            throw S3Error(.invalidResponse, "start multipart upload of \(key): no UploadId in the response")
        }
        return uploadID
    }

    /// Uploads part `number` (1-based) of an upload.
    public func uploadPart(key: String, uploadID: String, number: Int, body: [UInt8]) async throws -> S3CompletedPart {
        let checksum = Data(SHA256.hash(data: body)).base64EncodedString()
        let response = try await send(
            S3Request(
                method: "PUT", key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)],
                headers: [
                    HTTPHeader("Content-MD5", Data(Insecure.MD5.hash(data: body)).base64EncodedString()),
                    HTTPHeader("x-amz-checksum-sha256", checksum),
                ],
                body: body),
            what: "upload part \(number) of \(key)")
        guard let etag = response.header("ETag") else {
            throw S3Error(.invalidResponse, "upload part \(number) of \(key): no ETag in the response")
        }
        return S3CompletedPart(number: number, etag: etag.trimmingCharacters(in: ["\""]), checksumSHA256: checksum)
    }

    /// Joins the parts into the object.
    public func completeMultipartUpload(key: String, uploadID: String, parts: [S3CompletedPart]) async throws
        -> S3PutResult
    {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in parts {
            xml +=
                "<Part><PartNumber>\(part.number)</PartNumber><ETag>\"\(XMLNode.escape(part.etag))\"</ETag>"
                + "<ChecksumSHA256>\(part.checksumSHA256)</ChecksumSHA256></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let what = "complete multipart upload of \(key)"
        let response = try await send(
            S3Request(
                method: "POST", key: key, query: [("uploadId", uploadID)], body: Array(xml.utf8),
                contentType: "application/xml"),
            what: what)
        // S3 may answer 200 and still fail the completion: the error is then in the body.
        let document = XMLNode.parse(response.body)
        if let document, document.name == "Error" {
            throw Self.error(status: 500, body: response.body, what: what)
        }
        var result = S3PutResult(response: response)
        if let etag = document?.value("ETag") { result.etag = etag.trimmingCharacters(in: ["\""]) }
        return result
    }

    /// Abandons an upload and frees its parts.
    public func abortMultipartUpload(key: String, uploadID: String) async throws {
        _ = try await send(
            S3Request(method: "DELETE", key: key, query: [("uploadId", uploadID)]), what: "abort upload of \(key)")
    }
}
