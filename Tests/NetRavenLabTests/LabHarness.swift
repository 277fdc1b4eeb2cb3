import Foundation
import NetRavenTestSupport
import Testing

@testable import NetRavenLab

/// Starts a lab on free ports, runs the body, and shuts the lab down whether the body throws or not.
func withLab<T>(
    _ configuration: LabConfiguration = LabConfiguration(password: "pw", enablePassword: "en"),
    _ body: (Lab, LabEndpoints) async throws -> T
) async throws -> T {
    let lab = try Lab(configuration: configuration)
    return try await withStartedLab(lab) { try await body(lab, $0) }
}

/// The repository root, for `scripts/lab-client.py` and `.venv`.
let repositoryRoot = URL(fileURLWithPath: PackagePaths.root)

struct ProcessFailure: Error, CustomStringConvertible {
    var description: String
}

/// Runs a program to completion without blocking a cooperative thread; stdout goes through a file (big outputs).
func runProcess(_ executable: String, _ arguments: [String], stdin: Data = Data()) async throws -> Data {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lab-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let inFile = dir.appendingPathComponent("in"), outFile = dir.appendingPathComponent("out")
    try stdin.write(to: inFile)
    _ = FileManager.default.createFile(atPath: outFile.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardInput = try FileHandle(forReadingFrom: inFile)
    process.standardOutput = try FileHandle(forWritingTo: outFile)
    process.standardError = FileHandle.nullDevice
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
        do { try process.run() } catch { continuation.resume(throwing: error) }
    }
    let data = try Data(contentsOf: outFile)
    guard status == 0 else {
        throw ProcessFailure(description: "\(executable) exited \(status): \(String(decoding: data, as: UTF8.self))")
    }
    return data
}

/// The independent client (paramiko / netmiko in the repository's .venv), one JSON request per run.
enum LabClient {
    static func run(_ request: [String: Any]) async throws -> [String: Any] {
        let python = repositoryRoot.appendingPathComponent(".venv/bin/python").path
        let script = repositoryRoot.appendingPathComponent("scripts/lab-client.py").path
        let data = try await runProcess(python, [script], stdin: try JSONSerialization.data(withJSONObject: request))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ProcessFailure(description: "client printed no JSON object")
        }
        return object
    }

    static func netmiko(_ device: LabDevice, commands: [String], password: String = "pw") async throws
        -> [String: Any]
    {
        try await run([
            "host": "127.0.0.1", "port": device.port, "device_type": device.platform.rawValue,
            "username": device.username, "password": password, "secret": device.enablePassword,
            "enable": device.platform == .ciscoIOS || device.platform == .aristaEOS, "commands": commands,
            "timeout": 10,
        ])
    }

    /// A raw paramiko shell: sends each text and collects output for `wait` seconds after it.
    static func raw(_ device: LabDevice, send: [(String, Double)], password: String = "pw", timeout: Double = 10)
        async throws -> [String: Any]
    {
        try await run([
            "mode": "raw", "host": "127.0.0.1", "port": device.port, "username": device.username,
            "password": password, "send": send.map { [$0.0, $0.1] }, "timeout": timeout,
        ])
    }
}

/// `curl` against the control API: returns (status, body).
func control(_ port: Int, _ method: String, _ path: String, body: String? = nil) async throws -> (Int, String) {
    var args = ["-s", "-o", "-", "-w", "\n%{http_code}", "-X", method, "http://127.0.0.1:\(port)\(path)"]
    if let body { args += ["--data-binary", body] }
    let text = String(decoding: try await runProcess("/usr/bin/curl", args), as: UTF8.self)
    let split = text.range(of: "\n", options: .backwards)!
    return (Int(text[split.upperBound...]) ?? 0, String(text[..<split.lowerBound]))
}

/// A configuration as a device prints it, without the lines that change on their own (times, clock period)
/// and without the header around the body; written independently of the lab's own stripping.
func comparable(_ text: String) -> [String] {
    let volatile = [
        "Building configuration", "Current configuration :", "! Last configuration change at",
        "! NVRAM config last updated at", "ntp clock-period", "!Command:", "!Running configuration last done",
        "!Time:", "! Command:", "! device:", "! boot system", "## Last commit:",
    ]
    var lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        .map { String($0) }
        .filter { line in !volatile.contains { line.hasPrefix($0) } }
    while let first = lines.first, first.trimmingCharacters(in: .whitespaces).isEmpty || first == "!" {
        lines.removeFirst()
    }
    while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
    return lines
}
