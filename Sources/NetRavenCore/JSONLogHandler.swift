public import Foundation
public import Logging
import Synchronization

/// A swift-log handler that writes one JSON object per line (time, level, message, job, device, event, any other
/// metadata, label), with every registered secret scrubbed before anything is written: message, metadata values and
/// keys, the error and its chain of underlying errors.
///
/// Built by ``LoggingBootstrap`` for every logger of the process, it hands lines to the process's ``LogWriter``
/// (stderr, the rotating file, the tee); built with a ``LogSink`` it writes synchronously (tests, early errors).
public struct JSONLogHandler: LogHandler {
    /// The level swift-log checks before building a record: every level while a tee file collects all lines,
    /// else the configured one.
    public var logLevel: Logger.Level {
        get { destination.collectsEverything ? .trace : outputLevel }
        set { outputLevel = newValue }
    }
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    /// The logger's label (the module, for per-module levels).
    public let label: String
    /// Records below this level reach only the tee file.
    private var outputLevel: Logger.Level
    private let destination: Destination
    private let settings: LogSettings?

    private enum Destination: Sendable {
        case sink(LogSink)
        case writer(LogWriter)

        var collectsEverything: Bool {
            if case .writer(let writer) = self { return writer.hasTee }
            return false
        }
    }

    /// A handler writing synchronously to `sink` at `level`.
    public init(label: String, level: Logger.Level = .info, sink: LogSink = .standardError) {
        self.label = label
        self.outputLevel = level
        self.destination = .sink(sink)
        self.settings = nil
    }

    /// A handler whose level is `settings`' level for `label`, writing through `writer`.
    public init(label: String, settings: LogSettings, writer: LogWriter) {
        self.label = label
        self.outputLevel = settings.level(for: label)
        self.destination = .writer(writer)
        self.settings = settings
    }

    /// The same handler (destination, metadata) under another label, at that label's configured level.
    public func relabeled(_ newLabel: String) -> JSONLogHandler {
        var copy: JSONLogHandler
        switch destination {
        case .writer(let writer):
            copy = JSONLogHandler(label: newLabel, settings: settings ?? LogSettings(level: outputLevel), writer: writer)
        case .sink(let sink):
            copy = JSONLogHandler(label: newLabel, level: outputLevel, sink: sink)
        }
        copy.metadata = metadata
        copy.metadataProvider = metadataProvider
        return copy
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        if let error = event.error { merged["error"] = "\(ErrorChain.describe(error))" }
        let line = Self.line(level: event.level, message: "\(event.message)", metadata: merged, label: label, date: Date())
        let toOutput = event.level >= outputLevel
        switch destination {
        case .writer(let writer): writer.enqueue(line, toOutput: toOutput)
        case .sink(let sink): if toOutput { sink.write(line) }
        }
    }

    /// The JSON line for one record; keys in a stable order so lines diff and grep well.
    static func line(level: Logger.Level, message: String, metadata: Logger.Metadata, label: String, date: Date) -> String {
        let redactor = SecretRedactor.shared
        var fields: [(String, String)] = [
            ("time", Self.timestamp(date)), ("level", level.rawValue), ("message", redactor.redact(message)),
        ]
        for key in ["job", "device", "event"] {
            if let value = metadata[key] { fields.append((key, redactor.redact("\(value)"))) }
        }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) where !["job", "device", "event"].contains(key) {
            fields.append((redactor.redact(key), redactor.redact("\(value)")))
        }
        fields.append(("label", label))
        // Values are redacted before escaping (a secret with a quote in it is escaped differently); the whole line
        // once more after, for anything built outside those values.
        return redactor.redact("{" + fields.map { "\(jsonString($0.0)):\(jsonString($0.1))" }.joined(separator: ",") + "}") + "\n"
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Self.timestampStyle)
    }

    private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
}

/// Where log lines go; serializes writers so lines from concurrent jobs never interleave.
public final class LogSink: Sendable {
    private let handle: Mutex<FileHandle>

    public init(fileHandle: FileHandle) {
        handle = Mutex(fileHandle)
    }

    public static let standardError = LogSink(fileHandle: .standardError)

    func write(_ line: String) {
        handle.withLock { $0.write(Data(line.utf8)) }
    }
}

/// A JSON string literal for `text`.
public func jsonString(_ text: String) -> String {
    var out = "\""
    out.reserveCapacity(text.utf8.count + 2)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
