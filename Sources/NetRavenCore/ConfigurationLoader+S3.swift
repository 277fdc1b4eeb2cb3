import Foundation

extension ConfigurationLoader {
    /// Reads the `s3:` section; every problem is reported at its own line and column.
    func readS3(_ node: NodeReader, resolve: (String) -> String) -> S3Settings? {
        if node.isNull { return nil }
        let keys: Set<String> = [
            "bucket", "prefix", "region", "endpoint", "path_style", "access_key_id", "secret_access_key", "profile",
            "credentials_file", "server_side_encryption", "kms_key_id", "storage_class", "object_lock",
            "multipart_threshold", "part_size", "timeout", "retention",
        ]
        guard let map = node.mapping(allowed: keys), let bucket = map.string("bucket", required: true) else {
            return nil
        }
        if !Self.isValidBucketName(bucket) {
            map["bucket"]?.error(
                "s3.bucket '\(bucket)' is not a valid bucket name (3-63 characters: lowercase letters, digits, "
                    + "dots and hyphens, starting and ending with a letter or digit)")
        }
        var endpoint: String?
        if let endpointNode = map["endpoint"], !endpointNode.isNull, let text = endpointNode.string() {
            let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
            if let url = URL(string: trimmed), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
                url.path.isEmpty, url.query == nil
            {
                endpoint = trimmed
            } else {
                endpointNode.error("s3.endpoint must be a URL such as https://minio.example.net:9000, found '\(text)'")
            }
        }
        var settings = S3Settings(bucket: bucket, endpoint: endpoint, pathStyle: map["path_style"]?.bool())
        if let prefix = map.string("prefix") {
            settings.prefix = prefix.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
        }
        if let regionNode = map["region"], let region = regionNode.string() {
            if region.range(of: "^[a-z0-9-]+$", options: .regularExpression) != nil {
                settings.region = region
            } else {
                regionNode.error("s3.region must look like us-east-1 or eu-central-1, found '\(region)'")
            }
        }
        settings.accessKeyID = map["access_key_id"].flatMap { $0.isNull ? nil : $0.secret(environment: environment) }
        settings.secretAccessKey =
            map["secret_access_key"].flatMap { $0.isNull ? nil : $0.secret(environment: environment) }
        if map.has("access_key_id") != map.has("secret_access_key"),
            let node = map["access_key_id"] ?? map["secret_access_key"]
        {
            node.error("s3.access_key_id and s3.secret_access_key must be set together")
        }
        settings.profile = map.string("profile")
        settings.credentialsFile = map.string("credentials_file").map(resolve)
        if let sseNode = map["server_side_encryption"], !sseNode.isNull, let text = sseNode.string() {
            if let sse = S3Settings.Encryption(rawValue: text) {
                settings.serverSideEncryption = sse
            } else {
                sseNode.error("s3.server_side_encryption must be AES256 or aws:kms, found '\(text)'")
            }
        }
        settings.kmsKeyID = map.string("kms_key_id")
        if settings.kmsKeyID != nil, settings.serverSideEncryption != .kms, let node = map["kms_key_id"] {
            node.error("s3.kms_key_id needs server_side_encryption: aws:kms")
        }
        if let classNode = map["storage_class"], !classNode.isNull, let text = classNode.string() {
            if text.range(of: "^[A-Z_]+$", options: .regularExpression) != nil {
                settings.storageClass = text
            } else {
                classNode.error("s3.storage_class must be an S3 storage class such as STANDARD_IA, found '\(text)'")
            }
        }
        if let lockNode = map["object_lock"], !lockNode.isNull { settings.objectLock = readObjectLock(lockNode) }
        // S3 parts are 5 MiB to 5 GiB (the last may be smaller).
        let partRange = S3Settings.minimumPartSize...(5 * 1024 * 1024 * 1024)
        if let threshold = map["multipart_threshold"].flatMap({ readByteSize($0, in: partRange) }) {
            settings.multipartThreshold = threshold
        }
        if let part = map["part_size"].flatMap({ readByteSize($0, in: partRange) }) {
            settings.partSize = part
        }
        settings.timeout = map["timeout"]?.duration() ?? settings.timeout
        if let retentionNode = map["retention"], !retentionNode.isNull {
            settings.retention = readRetention(retentionNode)
        }
        return settings
    }

    /// Reads `{keep_days: N, keep_min: M}` (also used for local archive retention).
    func readRetention(_ node: NodeReader) -> RetentionPolicy? {
        guard let map = node.mapping(allowed: ["keep_days", "keep_min"]),
            let days = map.required("keep_days")?.int(in: 1...36_500)
        else { return nil }
        let minimum = map["keep_min"]?.int(in: 1...100_000) ?? 1
        return RetentionPolicy(keepDays: days, keepMinimum: minimum)
    }

    private func readObjectLock(_ node: NodeReader) -> S3Settings.ObjectLock? {
        guard let map = node.mapping(allowed: ["mode", "retain_days"]) else { return nil }
        var mode: S3Settings.ObjectLock.Mode?
        if let modeNode = map.required("mode"), let text = modeNode.string() {
            mode = S3Settings.ObjectLock.Mode(rawValue: text.uppercased())
            if mode == nil { modeNode.error("s3.object_lock.mode must be GOVERNANCE or COMPLIANCE, found '\(text)'") }
        }
        let days = map.required("retain_days")?.int(in: 1...36_500)
        guard let mode, let days else { return nil }
        return S3Settings.ObjectLock(mode: mode, retainDays: days)
    }

    /// A size in bytes: a whole number, or with a unit (`16MiB`, `8 MiB`, `512KiB`, `1GiB`; `MB` means MiB too).
    private func readByteSize(_ node: NodeReader, in range: ClosedRange<Int>) -> Int? {
        guard let text = node.string() else { return nil }
        guard let value = Self.parseByteSize(text) else {
            node.error("\(node.path) must be a size in bytes or with a unit (16MiB, 512KiB), found '\(text)'")
            return nil
        }
        guard range.contains(value) else {
            node.error("\(node.path) must be between \(range.lowerBound) and \(range.upperBound) bytes, found \(value)")
            return nil
        }
        return value
    }

    static func parseByteSize(_ text: String) -> Int? {
        let trimmed = text.replacingOccurrences(of: " ", with: "")
        let units: [(String, Int)] = [
            ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30),
            ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30),
        ]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            guard let number = Int(trimmed.dropLast(suffix.count)), number >= 0 else { return nil }
            let (product, overflow) = number.multipliedReportingOverflow(by: factor)
            return overflow ? nil : product
        }
        return Int(trimmed).flatMap { $0 >= 0 ? $0 : nil }
    }

    /// S3's bucket naming rules (the ones a typo breaks).
    static func isValidBucketName(_ name: String) -> Bool {
        name.count >= 3 && name.count <= 63
            && name.range(of: "^[a-z0-9][a-z0-9.-]*[a-z0-9]$", options: .regularExpression) != nil
            && !name.contains("..")
    }
}
