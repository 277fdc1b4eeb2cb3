import Foundation
import Glibc
import NIOPosix

/// Why a test peer could not be run.
struct ToolError: Error, CustomStringConvertible {
    var description: String
}

/// Runs a short-lived command-line peer (logger, openssl) to completion with `posix_spawn`, stdin from a file and
/// output to a file; the blocking `waitpid` runs on NIO's thread pool, never the cooperative pool.
enum ToolRun {
    /// Runs `path` and returns its exit status and output; the child is always reaped.
    static func run(_ path: String, _ arguments: [String], stdin: String = "", in directory: String) async throws
        -> (status: Int32, output: String)
    {
        let id = UUID().uuidString
        let inputPath = directory + "/stdin-\(id)"
        let outputPath = directory + "/output-\(id)"
        try stdin.write(toFile: inputPath, atomically: true, encoding: .utf8)
        let input = open(inputPath, O_RDONLY | O_CLOEXEC)
        let output = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer {
            close(input)
            close(output)
        }
        guard input >= 0, output >= 0 else { throw ToolError(description: "cannot open files for \(path)") }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/bin:/bin"), nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard rc == 0 else { throw ToolError(description: "cannot start \(path): \(String(cString: strerror(rc)))") }
        let child = pid
        let status = try await NIOThreadPool.singleton.runIfActive { () -> Int32 in
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
            return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        }
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return (status, text)
    }

    /// Runs `path` and throws with its output unless it exits 0.
    @discardableResult
    static func check(_ path: String, _ arguments: [String], stdin: String = "", in directory: String) async throws
        -> String
    {
        let (status, output) = try await run(path, arguments, stdin: stdin, in: directory)
        guard status == 0 else {
            throw ToolError(description: "\(path) \(arguments.joined(separator: " ")) exited \(status): \(output)")
        }
        return output
    }
}
