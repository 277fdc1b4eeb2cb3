import Foundation
import NetRavenTestSupport

/// Runs a program to completion and captures its output (the shared test-support runner).
@discardableResult
func runProcess(
    _ executable: String,
    _ arguments: [String],
    environment: [String: String]? = nil,
    check: Bool = true
) throws -> ToolOutput {
    try tool(executable, arguments, environment: environment, check: check)
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
