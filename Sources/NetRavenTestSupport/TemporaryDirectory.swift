import Foundation

/// A fresh directory under the system temp dir, removed when the value goes away (also when a test fails).
/// `NETRAVEN_KEEP_TEST_DIRS=1` keeps it for debugging.
public final class TemporaryDirectory {
    public let path: String

    public init(prefix: String = "netraven-test") throws {
        // Nearly every test starts here: the earliest place to route the test process's logs (see TestLogging).
        TestLogging.bootstrap()
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        if ProcessInfo.processInfo.environment["NETRAVEN_KEEP_TEST_DIRS"] == nil {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// Writes `text` to `name` (intermediate folders created) with `mode`, and returns the file's path.
    @discardableResult
    public func write(_ name: String, _ text: String, mode: Int = 0o600) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
        return file
    }
}
