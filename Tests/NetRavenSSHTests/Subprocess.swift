import NetRavenCore
import Foundation
import Glibc

/// Child processes for the fixtures, via `posix_spawn` + `waitpid`.
///
/// Not Foundation's `Process`: on Linux its monitor thread blocks in `wait4(pid)` for one long-lived child
/// (sshd), so short-lived children started meanwhile (ssh-keygen) are never reaped and `waitUntilExit`
/// hangs when tests run in parallel. All pipes are `O_CLOEXEC`, so concurrent spawns don't inherit them.
enum Subprocess {
    /// Starts `path` with stdin from `stdinFD` and stdout/stderr to `outputFD` (both dup'ed in the child).
    static func spawn(_ path: String, _ arguments: [String], stdinFD: Int32, outputFD: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinFD, 0)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 1)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 2)

        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard rc == 0 else { throw FixtureError("posix_spawn \(path) failed: \(String(cString: strerror(rc)))") }
        return pid
    }

    /// A close-on-exec channel: (read end, write end). A socket pair, because `pipe2` (atomic `O_CLOEXEC`)
    /// is not visible from Swift's Glibc module and `pipe` + `fcntl` races with concurrent spawns.
    static func pipe() throws -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, type, 0, &fds) == 0 else { throw FixtureError("socketpair failed: \(errno)") }
        return (fds[0], fds[1])
    }

    /// Reads `fd` to EOF, calling `chunk` for each piece; closes `fd`.
    static func drain(_ fd: Int32, _ chunk: (String) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            chunk(String(decoding: buffer[0..<count], as: UTF8.self))
        }
        Glibc.close(fd)
    }

    /// Reaps `pid`; returns its exit status (or 128+signal).
    @discardableResult
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

/// Runs a command-line tool to completion; throws with its output if it fails. `input` goes to its stdin
/// and never into an error message (it may carry a password).
@discardableResult
func runTool(_ path: String, _ arguments: [String], input: String? = nil) throws -> String {
    let (stdinRead, stdinWrite) = try Subprocess.pipe()
    let (outputRead, outputWrite) = try Subprocess.pipe()
    let pid: pid_t
    do {
        pid = try Subprocess.spawn(path, arguments, stdinFD: stdinRead, outputFD: outputWrite)
    } catch {
        [stdinRead, stdinWrite, outputRead, outputWrite].forEach { _ = Glibc.close($0) }
        throw error
    }
    Glibc.close(stdinRead)
    Glibc.close(outputWrite)
    if let input {
        let bytes = Array(input.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(stdinWrite, $0.baseAddress, $0.count) }
    }
    Glibc.close(stdinWrite)
    var output = ""
    Subprocess.drain(outputRead) { output += $0 }
    let status = Subprocess.wait(pid)
    guard status == 0 else {
        throw FixtureError("\(path) \(arguments.first ?? "") exited \(status): \(output)")
    }
    return output
}
