import Foundation
import NetRavenCore
import NetRavenTestSupport
import Testing

@testable import NetRavenAlerts

/// Exec-hook destinations: real commands through /bin/sh, which write what they got to files.
@Suite struct ExecHookTests {
    func hook(_ script: String, directory: TemporaryDirectory, timeout: Duration = .seconds(30)) -> AlertDestination {
        AlertDestination(
            name: "ticket",
            kind: .exec(
                .init(command: ["/bin/sh", "-c", script], environment: ["OUT": directory.path], timeout: timeout)))
    }

    @Test func commandGetsEnvironmentAndJSONOnStdin() async throws {
        let directory = try TemporaryDirectory()
        let dispatcher = AlertDispatcher()
        try await dispatcher.deliver(
            AlertSamples.single("ticket"), to: hook("env > \"$OUT/env\"; cat > \"$OUT/stdin\"", directory: directory))
        try await dispatcher.shutdown()
        let environment = try String(contentsOfFile: directory.path + "/env", encoding: .utf8)
        let variables = Dictionary(
            environment.split(separator: "\n").compactMap { line -> (String, String)? in
                guard let equals = line.firstIndex(of: "=") else { return nil }
                return (String(line[..<equals]), String(line[line.index(after: equals)...]))
            }, uniquingKeysWith: { first, _ in first })
        #expect(variables["NETRAVEN_DEVICE"] == "core-rtr-1")
        #expect(variables["NETRAVEN_VERDICT"] == "unexpected")
        #expect(variables["NETRAVEN_SEVERITY"] == "critical")
        #expect(variables["NETRAVEN_TYPE"] == "alert")
        #expect(variables["NETRAVEN_USERS"] == "mallory")
        #expect(variables["NETRAVEN_REASONS"] == "user-not-allowed,sensitive-lines")
        #expect(variables["NETRAVEN_COMMIT"] == "0123456789abcdef0123456789abcdef01234567")
        #expect(variables["NETRAVEN_DESTINATION"] == "ticket")
        #expect(variables["OUT"] == directory.path)
        // A clean environment: nothing of the test process (which may hold secrets) leaks in.
        #expect(variables["HOME"] == nil)
        let stdin = try Data(contentsOf: URL(fileURLWithPath: directory.path + "/stdin"))
        let json = try #require(try JSONSerialization.jsonObject(with: stdin) as? [String: Any])
        #expect(json["device"] as? String == "core-rtr-1")
        #expect(json["diff"] as? String == AlertSamples.diff(lines: 4))
    }

    @Test func largeDigestOnStdinIsNotCutShort() async throws {
        let directory = try TemporaryDirectory()
        let dispatcher = AlertDispatcher()
        let batch = AlertSamples.digest("ticket", count: 3000, full: 20)
        try await dispatcher.deliver(
            batch, to: hook("cat > \"$OUT/stdin\"; echo \"$NETRAVEN_COUNT\" > \"$OUT/count\"", directory: directory))
        try await dispatcher.shutdown()
        let stdin = try Data(contentsOf: URL(fileURLWithPath: directory.path + "/stdin"))
        #expect(stdin.count > 200_000)  // beyond any pipe buffer
        let json = try #require(try JSONSerialization.jsonObject(with: stdin) as? [String: Any])
        #expect(json["count"] as? Int == 3000)
        #expect(try String(contentsOfFile: directory.path + "/count", encoding: .utf8) == "3000\n")
    }

    @Test func nonZeroExitIsTransientWithTheStderrTail() async throws {
        let directory = try TemporaryDirectory()
        let dispatcher = AlertDispatcher()
        let error = await dispatcher.failure(
            AlertSamples.single("ticket"),
            to: hook("cat > /dev/null; echo 'ticket API said 502' >&2; exit 3", directory: directory))
        if let error {
            #expect(error.code == .commandFailed && error.isTransient)
            #expect(error.message.contains("exited 3"))
            #expect(error.message.hasSuffix("ticket API said 502"))
        }
        try await dispatcher.shutdown()
    }

    @Test func commandPastItsTimeoutIsKilledWithItsChildren() async throws {
        let directory = try TemporaryDirectory()
        let dispatcher = AlertDispatcher()
        do {
            // The background sleep writes its pid first, so the test can check it was killed with the group.
            try await dispatcher.deliver(
                AlertSamples.single("ticket"),
                to: hook("sleep 60 & echo $! > \"$OUT/child\"; wait", directory: directory, timeout: .milliseconds(300))
            )
            Issue.record("a hanging command was taken as delivered")
        } catch let error as AlertError {
            #expect(error.code == .commandTimedOut && error.isTransient)
        }
        try await dispatcher.shutdown()
        let child = try #require(
            Int32(
                try String(contentsOfFile: directory.path + "/child", encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)))
        // The grandchild got SIGKILL; it is init's to reap, so it may linger as a zombie: check its state.
        let state = (try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8))?
            .split(separator: ")").last?.split(separator: " ").first
        #expect(state == nil || state == "Z", "sleep is still \(state.map(String.init) ?? "?")")
    }

    @Test func missingProgramIsPermanent() async throws {
        let dispatcher = AlertDispatcher()
        let destination = AlertDestination(name: "ticket", kind: .exec(.init(command: ["/no/such/notify"])))
        let error = await dispatcher.failure(
            AlertSamples.single("ticket"), to: destination)
        if let error {
            #expect(error.code == .invalidConfiguration && !error.isTransient)
        }
        try await dispatcher.shutdown()
    }
}
