import Foundation
import Logging

/// Writes log lines on one thread of its own, fed by a bounded queue, so a caller never waits for a disk or a pipe.
///
/// Each line goes to the output (stderr, which journald captures), to the rotating log file when one is set, and to
/// the tee file when one is set (`NETRAVEN_LOG_TEE`: every line of every level, for the test suite's secret check).
/// When the queue is full a line is dropped and counted, never waited for; once the writer has caught up it writes
/// one warning line saying how many were dropped.
///
/// `@unchecked Sendable`: every mutable field is guarded by `condition`; the file handles belong to the writer thread.
public final class LogWriter: @unchecked Sendable {
    /// Lines the queue holds before it drops; about 2 MB of typical lines.
    public static let defaultCapacity = 10_000

    private struct Pending {
        var line: String
        var toOutput: Bool
    }

    private let condition = NSCondition()
    private var queue: [Pending] = []
    private var droppedSinceReport = 0
    private var dropped = 0
    private var accepted = 0
    private var written = 0
    private var stopping = false
    private var finished = false
    private var replacementFile: LogSettings?
    private let capacity: Int
    private let output: Int32?
    private var file: RotatingLogFile?
    private let tee: Int32?
    private var fileFailing = false

    /// A writer to `output` (a file descriptor, 2 = stderr; nil for none), the rotating file of `settings` when it names one,
    /// and `teePath` when given.
    /// - Throws: `LogFileError` when the log file or the tee file cannot be opened.
    public convenience init(
        output: Int32? = 2, settings: LogSettings, teePath: String? = nil,
        capacity: Int = LogWriter.defaultCapacity
    ) throws {
        let file = try settings.file.map {
            try RotatingLogFile(path: $0, maxBytes: settings.maxBytes, maxFiles: settings.maxFiles)
        }
        var tee: Int32?
        if let teePath {
            let descriptor = open(teePath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw LogFileError(message: "cannot open \(LoggingBootstrap.teeVariable) \(teePath): \(String(cString: strerror(errno)))")
            }
            tee = descriptor
        }
        self.init(output: output, file: file, tee: tee, capacity: capacity)
    }

    /// A writer to `output` only (nothing to open, so nothing to fail).
    public convenience init(output: Int32? = 2, capacity: Int = LogWriter.defaultCapacity) {
        self.init(output: output, file: nil, tee: nil, capacity: capacity)
    }

    private init(output: Int32?, file: RotatingLogFile?, tee: Int32?, capacity: Int) {
        self.output = output
        self.file = file
        self.tee = tee
        self.capacity = max(1, capacity)
        let thread = Thread { [self] in self.runLoop() }
        thread.name = "netraven-log"
        thread.start()
    }

    deinit {
        if let tee { close(tee) }
    }

    /// Queues `line` (a JSON object ending in a newline). `toOutput` false sends it to the tee file only (a line
    /// below the configured level, produced because a tee is set). Never blocks on I/O; drops when the queue is full.
    public func enqueue(_ line: String, toOutput: Bool = true) {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return }
        if queue.count >= capacity {
            dropped += 1
            droppedSinceReport += 1
            return
        }
        queue.append(Pending(line: line, toOutput: toOutput))
        accepted += 1
        condition.signal()
    }

    /// Lines dropped since the writer started because the queue was full.
    public var droppedLines: Int {
        condition.lock()
        defer { condition.unlock() }
        return dropped
    }

    /// Whether a tee file receives every line (loggers then log at every level).
    public var hasTee: Bool { tee != nil }

    /// Waits until every line queued so far is written, at most `timeout`; true when it was.
    @discardableResult
    public func flush(timeout: Duration = .seconds(5)) -> Bool {
        let deadline = Date().addingTimeInterval(timeout.seconds)
        condition.lock()
        defer { condition.unlock() }
        let target = accepted
        while written < target && !finished {
            if !condition.wait(until: deadline) { return written >= target }
        }
        return written >= target
    }

    /// Uses the log file of `settings` (none, another path, other limits) from the next line on (a reload).
    public func reconfigure(_ settings: LogSettings) {
        condition.lock()
        replacementFile = settings
        condition.signal()
        condition.unlock()
    }

    /// Writes what is queued and ends the writer thread; lines queued later are ignored.
    public func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    // MARK: The writer thread

    private func runLoop() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping && replacementFile == nil { condition.wait() }
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            let droppedNow = droppedSinceReport
            droppedSinceReport = 0
            let newFile = replacementFile
            replacementFile = nil
            let done = stopping && batch.isEmpty
            condition.unlock()

            if let newFile { replaceFile(newFile) }
            for pending in batch { write(pending.line, toOutput: pending.toOutput) }
            if droppedNow > 0 {
                write(
                    JSONLogHandler.line(
                        level: .warning, message: "log lines dropped: the log queue was full",
                        metadata: ["dropped": "\(droppedNow)"], label: "netraven.log", date: Date()),
                    toOutput: true)
            }

            condition.lock()
            written += batch.count
            if done { finished = true }
            condition.broadcast()
            condition.unlock()
            if done { return }
        }
    }

    private func write(_ line: String, toOutput: Bool) {
        let bytes = Array(line.utf8)
        bytes.withUnsafeBytes { buffer in
            if let tee { try? writeAll(tee, buffer, what: "the tee file") }
            guard toOutput else { return }
            if let output { try? writeAll(output, buffer, what: "the log output") }
        }
        guard toOutput, let file else { return }
        do {
            try file.write(line)
            fileFailing = false
        } catch {
            // Said once per failing stretch (a full disk fails every line), on the output that still works.
            if !fileFailing, let output {
                let notice = JSONLogHandler.line(
                    level: .error, message: "log file write failed; lines go to stderr only until it works again",
                    metadata: ["reason": "\(error)"], label: "netraven.log", date: Date())
                _ = Array(notice.utf8).withUnsafeBytes { try? writeAll(output, $0, what: "the log output") }
            }
            fileFailing = true
        }
    }

    private func replaceFile(_ settings: LogSettings) {
        guard settings.file != file?.path || settings.maxBytes != file?.maxBytes || settings.maxFiles != file?.maxFiles
        else { return }
        file = nil
        guard let path = settings.file else { return }
        do {
            file = try RotatingLogFile(path: path, maxBytes: settings.maxBytes, maxFiles: settings.maxFiles)
        } catch {
            write(
                JSONLogHandler.line(
                    level: .error, message: "cannot open the log file; logging to stderr only",
                    metadata: ["reason": "\(error)"], label: "netraven.log", date: Date()),
                toOutput: true)
        }
    }
}
