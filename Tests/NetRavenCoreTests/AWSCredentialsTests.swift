import NetRavenCore
import NetRavenTestSupport
import Testing

/// Where S3 credentials come from: configuration, environment, shared credentials file — in that order.
@Suite struct AWSCredentialsTests {
    static let file = """
        # comment
        [default]
        aws_access_key_id = AKIADEFAULT
        aws_secret_access_key = default-secret-value

        [backup]
        aws_access_key_id=AKIABACKUP
        aws_secret_access_key=backup/secret+value
        aws_session_token = token-value-123
        [profile broken]
        aws_access_key_id = AKIABROKEN
        """

    func files(_ files: [String: String]) -> (String) throws -> String? {
        { files[$0] }
    }

    @Test func configurationComesFirst() throws {
        var settings = S3Settings(bucket: "abc")
        settings.accessKeyID = Secret("AKIACONFIG")
        settings.secretAccessKey = Secret("config-secret-value")
        let credentials = try AWSCredentials.resolve(
            settings: settings, environment: ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret"],
            readFile: files([:]))
        #expect(credentials.accessKeyID == "AKIACONFIG")
        #expect(credentials.source == "configuration")
        #expect(!"\(credentials)".contains("config-secret-value"))
    }

    @Test func environmentBeforeProfile() throws {
        let credentials = try AWSCredentials.resolve(
            settings: S3Settings(bucket: "abc"),
            environment: [
                "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret-value",
                "AWS_SESSION_TOKEN": "session-token-value", "HOME": "/home/n",
            ],
            readFile: files(["/home/n/.aws/credentials": Self.file]))
        #expect(credentials.accessKeyID == "AKIAENV")
        #expect(credentials.secretAccessKey.value == "env-secret-value")
        #expect(credentials.sessionToken?.value == "session-token-value")
        #expect(credentials.source == "environment")
    }

    @Test func defaultProfileFromHome() throws {
        let credentials = try AWSCredentials.resolve(
            settings: S3Settings(bucket: "abc"), environment: ["HOME": "/home/n"],
            readFile: files(["/home/n/.aws/credentials": Self.file]))
        #expect(credentials.accessKeyID == "AKIADEFAULT")
        #expect(credentials.secretAccessKey.value == "default-secret-value")
        #expect(credentials.sessionToken == nil)
    }

    @Test func profileFromEnvironmentAndFileFromEnvironment() throws {
        let credentials = try AWSCredentials.resolve(
            settings: S3Settings(bucket: "abc"),
            environment: ["AWS_PROFILE": "backup", "AWS_SHARED_CREDENTIALS_FILE": "/etc/netraven/aws"],
            readFile: files(["/etc/netraven/aws": Self.file]))
        #expect(credentials.accessKeyID == "AKIABACKUP")
        #expect(credentials.secretAccessKey.value == "backup/secret+value")
        #expect(credentials.sessionToken?.value == "token-value-123")
        #expect(credentials.source == "profile backup in /etc/netraven/aws")
    }

    @Test func settingsProfileBeatsEnvironmentProfile() throws {
        var settings = S3Settings(bucket: "abc")
        settings.profile = "default"
        settings.credentialsFile = "/etc/netraven/aws"
        let credentials = try AWSCredentials.resolve(
            settings: settings, environment: ["AWS_PROFILE": "backup"],
            readFile: files(["/etc/netraven/aws": Self.file]))
        #expect(credentials.accessKeyID == "AKIADEFAULT")
    }

    @Test func realFileIsRead() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("credentials", Self.file)
        var settings = S3Settings(bucket: "abc")
        settings.credentialsFile = path
        settings.profile = "backup"
        #expect(try AWSCredentials.resolve(settings: settings, environment: [:]).accessKeyID == "AKIABACKUP")
    }

    @Test(arguments: [
        ([String: String](), [String: String](), "no S3 credentials"),
        (["AWS_ACCESS_KEY_ID": "AKIA"], [:], "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"),
        (
            ["AWS_PROFILE": "nope"], ["/h/.aws/credentials": AWSCredentialsTests.file],
            "/h/.aws/credentials: no profile [nope] (profiles: backup, broken, default)"
        ),
        (
            ["AWS_PROFILE": "broken"], ["/h/.aws/credentials": AWSCredentialsTests.file],
            "/h/.aws/credentials:10: profile [broken] needs"
        ),
        (
            [:], ["/h/.aws/credentials": "[default]\naws_access_key_id = A\nthis line is wrong\n"],
            "/h/.aws/credentials:3: expected 'key = value'"
        ),
        (
            [:], ["/h/.aws/credentials": "aws_access_key_id = A\n"],
            "/h/.aws/credentials:1: a key before the first [section]"
        ),
    ])
    func problemsSayWhatAndWhere(environment: [String: String], files: [String: String], expected: String) {
        var environment = environment
        environment["HOME"] = "/h"
        do {
            _ = try AWSCredentials.resolve(
                settings: S3Settings(bucket: "abc"), environment: environment, readFile: { files[$0] })
            Issue.record("resolved unexpectedly")
        } catch {
            #expect("\(error)".hasPrefix(expected), "\(error)")
            #expect(!"\(error)".contains("secret-value"))
        }
    }
}
