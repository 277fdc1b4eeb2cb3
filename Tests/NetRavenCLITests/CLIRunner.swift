import Foundation
import NetRavenTestSupport

/// Runs the built `netraven` binary and captures its exit status and output.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The directory holding the built products (next to the test bundle).
let productsDirectory: URL = {
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    while url.path != "/" && !FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("netraven").path) {
        url.deleteLastPathComponent()
    }
    return url
}()

/// With `stdin`, the text is written to the process's standard input from another thread (a full pipe never blocks).
func netraven(_ arguments: [String], environment: [String: String] = [:], stdin input: String? = nil) throws -> CLIRun {
    let process = Process()
    process.executableURL = productsDirectory.appendingPathComponent("netraven")
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "NETRAVEN_CONFIG")
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let inPipe = Pipe()
    process.standardInput = input == nil ? FileHandle.nullDevice as Any : inPipe
    try process.run()
    if let input {
        Thread {
            inPipe.fileHandleForWriting.write(Data(input.utf8))
            try? inPipe.fileHandleForWriting.close()
        }.start()
    }
    // Read both pipes concurrently so a chatty process never blocks on a full pipe.
    let errData = LockedData()
    let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
    reader.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errData.isSet { usleep(1000) }
    return CLIRun(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData.value, as: UTF8.self))
}

/// Data handed from the reader thread to the test.
final class LockedData: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var data = Data()
    private var done = false

    func set(_ value: Data) {
        lock.lock()
        data = value
        done = true
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return done
    }

    var value: Data {
        lock.lock()
        defer { lock.unlock() }
        return data
    }
}

let repositoryRules = PackagePaths.rules
