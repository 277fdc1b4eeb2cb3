import Foundation

/// Output of a finished child process.
struct ProcessOutput {
    var status: Int32
    var stdout: String
    var stderr: String
}

struct ProcessFailure: Error, CustomStringConvertible {
    var command: String
    var output: ProcessOutput
    var description: String { "\(command) exited \(output.status): \(output.stderr)\(output.stdout)" }
}

/// Runs a program to completion and captures its output (through files, so large outputs cannot deadlock a pipe).
@discardableResult
func runProcess(
    _ executable: String,
    _ arguments: [String],
    environment: [String: String]? = nil,
    check: Bool = true
) throws -> ProcessOutput {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("proc-\(UUID().uuidString)")
    let outURL = scratch.appendingPathExtension("out")
    let errURL = scratch.appendingPathExtension("err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    let output = ProcessOutput(
        status: process.terminationStatus,
        stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    if check && output.status != 0 {
        throw ProcessFailure(command: ([executable] + arguments).joined(separator: " "), output: output)
    }
    return output
}

/// Runs the real `git` CLI (used to create and inspect remotes independently of libgit2).
@discardableResult
func git(_ arguments: String...) throws -> String {
    try runProcess("/usr/bin/git", arguments).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Creates a bare remote repository with the git CLI; `hook` becomes its pre-receive hook when given.
func makeBareRemote(at path: String, preReceiveHook hook: String? = nil) throws {
    try git("init", "--quiet", "--bare", "--initial-branch=main", path)
    if let hook { try installPreReceiveHook(hook, in: path) }
}

func installPreReceiveHook(_ script: String, in remote: String) throws {
    let hookPath = "\(remote)/hooks/pre-receive"
    try script.write(toFile: hookPath, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hookPath)
}
