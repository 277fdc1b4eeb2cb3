import Foundation

/// Output of a finished command-line tool run by a test (GNU tar, gzip, sha256sum, python3).
public struct ToolOutput: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// A tool that exited non-zero while the test expected success.
public struct ToolFailure: Error, CustomStringConvertible {
    public var command: String
    public var output: ToolOutput
    public var description: String { "\(command) exited \(output.status): \(output.stderr)\(output.stdout)" }
}

/// Runs `executable` (an absolute path, or a name looked up in /usr/bin and /bin) to completion. Output goes
/// through files so it cannot fill a pipe, and the child is always waited for.
@discardableResult
public func tool(
    _ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String]? = nil,
    check: Bool = true
) throws -> ToolOutput {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bundle-tool-\(UUID().uuidString)")
    let outURL = scratch.appendingPathExtension("out")
    let errURL = scratch.appendingPathExtension("err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
    }
    let process = Process()
    let path = executable.hasPrefix("/")
        ? executable
        : ["/usr/bin/", "/bin/"].map { $0 + executable }.first { FileManager.default.isExecutableFile(atPath: $0) }
    process.executableURL = URL(fileURLWithPath: path ?? executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    if let environment { process.environment = environment }
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    let output = ToolOutput(
        status: process.terminationStatus,
        stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    if check && output.status != 0 {
        throw ToolFailure(command: ([executable] + arguments).joined(separator: " "), output: output)
    }
    return output
}

