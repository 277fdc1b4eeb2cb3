import Foundation

/// An AWS access key pair (and session token) for signing S3 requests. Prints without the secret.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    /// The access key id (not secret; shown in messages).
    public var accessKeyID: String
    /// The secret access key.
    public var secretAccessKey: Secret
    /// Temporary credentials' token, sent as `x-amz-security-token`.
    public var sessionToken: Secret?
    /// Where they came from ("configuration", "environment", "profile default in ~/.aws/credentials").
    public var source: String

    /// Credentials from `source`.
    public init(accessKeyID: String, secretAccessKey: Secret, sessionToken: Secret? = nil, source: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.source = source
    }

    public var description: String { "\(accessKeyID) (secret redacted, from \(source))" }

    /// Why no credentials could be found; never contains a secret.
    public struct ResolutionError: Error, Sendable, CustomStringConvertible {
        /// What went wrong and where (`file:line` for a bad credentials file).
        public var message: String

        /// An error saying `message`.
        public init(_ message: String) { self.message = message }

        public var description: String { message }
    }

    /// Finds the credentials the way the AWS tools do: the configuration's `access_key_id`/`secret_access_key`
    /// first, then `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`), then a profile
    /// (`profile`, `AWS_PROFILE`, else `default`) in the shared credentials file (`credentials_file`,
    /// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`).
    /// - Parameters:
    ///   - readFile: reads a file's text, nil when it does not exist (tests pass their own).
    /// - Throws: `ResolutionError` when nothing usable is found or the credentials file is malformed.
    public static func resolve(
        settings: S3Settings, environment: [String: String], homeDirectory: String? = nil,
        readFile: (String) throws -> String? = AWSCredentials.readFileIfPresent
    ) throws -> AWSCredentials {
        if let key = settings.accessKeyID, let secret = settings.secretAccessKey {
            return AWSCredentials(accessKeyID: key.value, secretAccessKey: secret, source: "configuration")
        }
        func nonEmpty(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let key = nonEmpty("AWS_ACCESS_KEY_ID") {
            guard let secret = nonEmpty("AWS_SECRET_ACCESS_KEY") else {
                throw ResolutionError("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
            }
            return AWSCredentials(
                accessKeyID: key, secretAccessKey: Secret(secret),
                sessionToken: nonEmpty("AWS_SESSION_TOKEN").map(Secret.init),
                source: "environment")
        }
        let profile = settings.profile ?? nonEmpty("AWS_PROFILE") ?? "default"
        let home = homeDirectory ?? nonEmpty("HOME") ?? NSHomeDirectory()
        let path = settings.credentialsFile ?? nonEmpty("AWS_SHARED_CREDENTIALS_FILE") ?? home + "/.aws/credentials"
        let text: String?
        do {
            text = try readFile(path)
        } catch {
            throw ResolutionError("cannot read the AWS credentials file \(path): \(readableReason(error))")
        }
        guard let text else {
            throw ResolutionError(
                "no S3 credentials: set s3.access_key_id and s3.secret_access_key, AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY, or create \(path) with a [\(profile)] profile")
        }
        let sections = try SharedCredentialsFile.parse(text, path: path)
        guard let section = sections[profile] else {
            let known = sections.keys.sorted().joined(separator: ", ")
            throw ResolutionError("\(path): no profile [\(profile)] (profiles: \(known.isEmpty ? "none" : known))")
        }
        guard let key = section.values["aws_access_key_id"], let secret = section.values["aws_secret_access_key"] else {
            throw ResolutionError(
                "\(path):\(section.line): profile [\(profile)] needs aws_access_key_id and aws_secret_access_key")
        }
        return AWSCredentials(
            accessKeyID: key, secretAccessKey: Secret(secret),
            sessionToken: section.values["aws_session_token"].map(Secret.init),
            source: "profile \(profile) in \(path)")
    }

    /// A file's text, or nil when there is no such file.
    @Sendable public static func readFileIfPresent(_ path: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try String(contentsOfFile: path, encoding: .utf8)
    }
}

/// The AWS shared credentials file (`~/.aws/credentials`): INI sections of `key = value` lines.
public enum SharedCredentialsFile {
    /// One `[profile]` section.
    public struct Section: Sendable, Equatable {
        /// The line of its `[name]` header.
        public var line: Int
        /// Its keys (lowercased) and values.
        public var values: [String: String]
    }

    /// Parses the file's text; sections by name. Values are never quoted in errors.
    /// - Throws: `AWSCredentials.ResolutionError` naming `path:line` for a line that is neither.
    public static func parse(_ text: String, path: String) throws -> [String: Section] {
        var sections: [String: Section] = [:]
        var current: String?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces.union(["\r"]))
            let number = index + 1
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    throw AWSCredentials.ResolutionError("\(path):\(number): a section header must look like [name]")
                }
                // ~/.aws/config writes [profile name]; the credentials file plain [name]: accept both.
                var name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                if name.hasPrefix("profile ") { name = name.dropFirst(8).trimmingCharacters(in: .whitespaces) }
                current = name
                if sections[name] == nil { sections[name] = Section(line: number, values: [:]) }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw AWSCredentials.ResolutionError("\(path):\(number): expected 'key = value' or [section]")
            }
            guard let section = current else {
                throw AWSCredentials.ResolutionError("\(path):\(number): a key before the first [section]")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[section]?.values[key] = value
        }
        return sections
    }
}
