import Foundation

/// A Python test peer from scripts/ that prints its port on stdout when it is listening; killed and reaped by
/// `stop()`, which `withPeer` calls also when the test fails.
public final class PythonPeer {
    let process = Process()
    public let port: Int

    public init(_ script: String, _ arguments: [String] = []) throws {
        let venv = PackagePaths.root + "/.venv/bin/python"
        process.executableURL = URL(
            fileURLWithPath: FileManager.default.isExecutableFile(atPath: venv) ? venv : "/usr/bin/python3")
        process.arguments = [PackagePaths.script(script)] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line is the port: it is printed only once the socket listens, so no waiting is needed.
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            stopServer(process.processIdentifier)
            throw PeerError(description: "\(script) said '\(line)' instead of its port")
        }
        self.port = port
    }

    public func stop() {
        stopServer(process.processIdentifier)
    }

    /// Runs `body` with a started peer and stops the peer however `body` ends.
    public static func with<T>(
        _ script: String, _ arguments: [String] = [], _ body: (PythonPeer) async throws -> T
    ) async throws -> T {
        let peer = try PythonPeer(script, arguments)
        defer { peer.stop() }
        return try await body(peer)
    }
}

public struct PeerError: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}
