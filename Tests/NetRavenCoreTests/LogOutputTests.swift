import Foundation
import Logging
import NetRavenTestSupport
import Testing

@testable import NetRavenCore

@Suite struct RotatingLogFileTests {
    /// 100 numbered lines of 100 bytes into 1000-byte files, 3 kept: the newest lines survive, whole and in order.
    @Test func rotatesBySizeKeepsTheNewestFilesAndNeverSplitsALine() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/netraven.log"
        let file = try RotatingLogFile(path: path, maxBytes: 1000, maxFiles: 3)
        func line(_ number: Int) -> String {
            let prefix = "{\"n\":\"\(number)\",\"pad\":\""
            return prefix + String(repeating: "x", count: 100 - prefix.count - 3) + "\"}\n"
        }
        #expect(line(7).utf8.count == 100)
        for number in 1...100 { try file.write(line(number)) }

        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == ["netraven.log", "netraven.log.1", "netraven.log.2"])
        var numbers: [Int] = []
        for index in [2, 1, 0] {  // oldest first
            let rotated = file.rotatedPath(index)
            let size = try #require(try FileManager.default.attributesOfItem(atPath: rotated)[.size] as? Int)
            #expect(size <= 1000, "\(rotated) is \(size) bytes")
            #expect(try String(contentsOfFile: rotated, encoding: .utf8).hasSuffix("\n"))
            numbers += try jsonLogLines(rotated).map { Int($0["n"] ?? "") ?? -1 }
        }
        // 10 lines fit a file: the 30 newest are kept, contiguous; lines 1…70 went with the removed files.
        #expect(numbers == Array(71...100))
    }

    @Test func aLineLongerThanTheLimitGoesAloneIntoAFreshFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/big.log"
        let file = try RotatingLogFile(path: path, maxBytes: 50, maxFiles: 2)
        try file.write("short one\n")
        let long = String(repeating: "y", count: 80) + "\n"
        try file.write(long)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == long)
        #expect(try String(contentsOfFile: path + ".1", encoding: .utf8) == "short one\n")
    }

    @Test func appendsToAnExistingFileAndCountsItsSize() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("old.log", String(repeating: "z", count: 98) + "\n")
        let file = try RotatingLogFile(path: path, maxBytes: 100, maxFiles: 2)
        try file.write("next\n")  // 99 + 5 > 100: the old content rotates first
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "next\n")
        #expect(FileManager.default.fileExists(atPath: path + ".1"))
    }
}

@Suite struct LogWriterTests {
    /// The writer's output is a pipe nobody reads yet: the writer thread blocks on it, the queue fills, and callers
    /// go on without waiting; once the pipe drains, one line says how many were dropped.
    @Test func aFloodNeverBlocksTheCallerAndTheDropCountIsReported() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let (readEnd, writeEnd) = (fds[0], fds[1])
        defer { close(readEnd) }
        let writer = LogWriter(output: writeEnd, capacity: 50)
        let line = "{\"message\":\"" + String(repeating: "f", count: 200) + "\"}\n"
        // 20,000 lines of 200 bytes: far beyond the pipe's 64 KiB and the queue's 50 lines.
        for _ in 0..<20_000 { writer.enqueue(line) }
        let dropped = writer.droppedLines
        #expect(dropped > 0)

        let collected = ReadBuffer()
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(readEnd, &buffer, buffer.count)
                if count <= 0 { return }
                collected.append(buffer[0..<count])
            }
        }
        reader.start()
        writer.stop()
        close(writeEnd)
        // The reader ends at end of file; wait for it generously (a readiness poll, not a timing assertion).
        let deadline = Date().addingTimeInterval(60)
        var text = ""
        while Date() < deadline {
            text = collected.text
            let reported = text.split(separator: "\n").filter { $0.contains("log lines dropped") }.compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String])?["dropped"].flatMap(Int.init)
            }
            if reported.reduce(0, +) >= dropped { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let lines = text.split(separator: "\n")
        // The writer reports each time it catches up, so a loaded machine may see several reports: they add up.
        let reports = try lines.filter { $0.contains("log lines dropped") }.map { report in
            try #require(try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: String])
        }
        #expect(!reports.isEmpty)
        #expect(reports.compactMap { $0["dropped"].flatMap(Int.init) }.reduce(0, +) == dropped)
        #expect(reports.allSatisfy { $0["level"] == "warning" })
        // Every line written is whole; written + dropped = all that was offered.
        #expect(lines.filter { $0 == line.dropLast() }.count + dropped == 20_000)
    }

    @Test func perModuleLevelsFilterByLabelPrefix() throws {
        let directory = try TemporaryDirectory()
        let settings = LogSettings(
            level: .warning, levels: ["netraven.ssh": .debug, "netraven.ssh.noisy": .error],
            file: directory.path + "/levels.log")
        let writer = try LogWriter(output: nil, settings: settings)
        func logger(_ label: String) -> Logger {
            Logger(label: label) { JSONLogHandler(label: $0, settings: settings, writer: writer) }
        }
        logger("netraven").info("root info: filtered")
        logger("netraven").warning("root warning: kept")
        logger("netraven.ssh").debug("ssh debug: kept")
        logger("netraven.ssh.session").debug("ssh.session debug: kept")
        logger("netraven.ssh.noisy").warning("noisy warning: filtered")
        logger("netraven.sshd").info("sshd is not under netraven.ssh: filtered")
        // A job logger relabelled for a module keeps its metadata and takes the module's level.
        var job = logger("netraven")
        job[metadataKey: "job"] = "j-42"
        job[metadataKey: "device"] = "r9"
        job.module("netraven.ssh").debug("job ssh debug: kept")
        job.debug("job root debug: filtered")
        #expect(writer.flush())

        let lines = try jsonLogLines(settings.file ?? "")
        #expect(lines.map { $0["message"] ?? "" } == [
            "root warning: kept", "ssh debug: kept", "ssh.session debug: kept", "job ssh debug: kept",
        ])
        #expect(lines.last?["job"] == "j-42" && lines.last?["device"] == "r9")
        #expect(lines.last?["label"] == "netraven.ssh")
    }

    /// With a tee, every level is produced for the tee; the output keeps its configured level.
    @Test func theTeeReceivesEveryLevelAndRedactedLines() throws {
        let directory = try TemporaryDirectory()
        let settings = LogSettings(level: .error, file: directory.path + "/out.log")
        let teePath = directory.path + "/tee.jsonl"
        let writer = try LogWriter(output: nil, settings: settings, teePath: teePath)
        let secret = Secret("tee-S3cret-\(UUID().uuidString.prefix(8))")
        var logger = Logger(label: "netraven") { JSONLogHandler(label: $0, settings: settings, writer: writer) }
        logger[metadataKey: secret.value] = "key named like a secret"
        logger.trace("trace line with \(secret.value)")
        logger.error("error line", metadata: ["password": "\(secret.value)"])
        #expect(writer.flush())
        let output = try String(contentsOfFile: settings.file ?? "", encoding: .utf8)
        let tee = try String(contentsOfFile: teePath, encoding: .utf8)
        #expect(output.split(separator: "\n").count == 1)
        #expect(tee.split(separator: "\n").count == 2)
        #expect(!output.contains(secret.value) && !tee.contains(secret.value))
        #expect(tee.contains("trace line with <redacted>"))
    }
}

/// Bytes a reader thread collects, read by the test thread.
final class ReadBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ bytes: ArraySlice<UInt8>) { lock.withLock { data.append(contentsOf: bytes) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}

@Suite struct LogSettingsTests {
    static let cases: [(String, Logger.Level)] = [
        ("netraven", .info), ("netraven.ssh", .debug), ("netraven.ssh.x", .debug),
        ("netraven.git", .error), ("netraven.gitx", .info), ("other", .info),
    ]

    @Test(arguments: cases)
    func levelForLabel(label: String, expected: Logger.Level) {
        let settings = LogSettings(level: .info, levels: ["netraven.ssh": .debug, "netraven.git": .error])
        #expect(settings.level(for: label) == expected)
    }

    @Test func errorChainsFollowUnderlyingErrors() {
        struct Inner: Error, CustomStringConvertible { var description: String { "socket reset by peer" } }
        let outer = CaptureError(.connectionLost, "lost the device", underlying: Inner())
        #expect(ErrorChain.describe(outer) == "connectionLost: lost the device ← caused by: socket reset by peer")
        #expect(ErrorChain.describe(Inner()) == "socket reset by peer")
    }
}

extension ConfigurationLoaderTests {
    @Test func readsTheLoggingSection() throws {
        try FileManager.default.createDirectory(atPath: directory.path + "/logs", withIntermediateDirectories: true)
        let main = """
            state_dir: state
            inventory: inventory.yaml
            credentials: credentials.yaml
            logging:
              level: WARNING
              file: logs/netraven.log
              max_bytes: 1048576
              max_files: 3
              levels: {netraven.ssh: debug, netraven.syslog: error}
            """
        let settings = try load(main: main, inventory: Self.validInventory).settings
        #expect(settings.logging.level == .warning)
        #expect(settings.logLevel == "warning")
        #expect(settings.logging.file == directory.path + "/logs/netraven.log")
        #expect(settings.logging.maxBytes == 1_048_576 && settings.logging.maxFiles == 3)
        #expect(settings.logging.levels == ["netraven.ssh": .debug, "netraven.syslog": .error])
    }

    @Test func reportsLoggingProblemsWithTheirPositions() {
        let main = """
            state_dir: state
            inventory: inventory.yaml
            credentials: credentials.yaml
            logging:
              file: no-such-folder/netraven.log
              max_files: 0
              levels:
                netraven.ssh: chatty
              rotate: daily
            """
        let found = problems(main: main).map { "\($0.line):\($0.column) \($0.message)" }
        #expect(found.contains { $0.hasPrefix("5:9 logging.file: the folder") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("6:14 logging.max_files must be between 1 and 1000") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("8:19 logging.levels.netraven.ssh must be one of") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("9:3 unknown key 'rotate' in logging") }, "\(found)")
    }
}

@Suite struct LogSecretCheckTests {
    func check(_ log: String?, secrets: String) throws -> (status: Int32, output: String) {
        let directory = try TemporaryDirectory()
        let secretsFile = try directory.write("secrets.txt", secrets)
        var arguments = [PackagePaths.script("check-log-secrets")]
        if let log { arguments.append(try directory.write("tee.jsonl", log)) } else { arguments.append(directory.path + "/none") }
        arguments.append(secretsFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["bash"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func findsAPlantedSecret() throws {
        let log = "{\"message\":\"fine\"}\n{\"message\":\"login with Planted-Pw-77 failed\"}\n"
        let result = try check(log, secrets: "# comment\nnever-there\nPlanted-Pw-77\n")
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("1 of 2 log lines contain a known test secret"), "\(result.output)")
        #expect(result.output.contains("2:{\"message\":\"login with Planted-Pw-77 failed\"}"), "\(result.output)")
    }

    @Test func passesACleanLogAndRefusesAnEmptyOne() throws {
        let clean = try check("{\"message\":\"password <redacted>\"}\n", secrets: "Planted-Pw-77\n")
        #expect(clean.status == 0, "\(clean.output)")
        #expect(try check("", secrets: "Planted-Pw-77\n").status == 2)
        #expect(try check(nil, secrets: "Planted-Pw-77\n").status == 2)
        #expect(try check("{}\n", secrets: "# only comments\n").status == 2)
    }

    /// The shipped list is the one `make test` checks against: it exists and is not empty.
    @Test func theShippedListNamesTheSuitesSecrets() throws {
        let list = try String(contentsOfFile: PackagePaths.root + "/Tests/known-test-secrets.txt", encoding: .utf8)
        let values = list.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        #expect(values.contains("Lab-Pass-1") && values.contains("c0mmunity-secret"))
        #expect(values.allSatisfy { $0.count >= SecretRedactor.minimumLength })
    }
}
