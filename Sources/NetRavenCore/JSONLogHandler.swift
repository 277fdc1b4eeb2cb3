public import Foundation
public import Logging
import Synchronization

/// A swift-log handler that writes one JSON object per line (level, time, message, job, device, event, label, and
/// any other metadata), with every registered secret scrubbed before anything is written.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let sink: LogSink

    public init(label: String, level: Logger.Level = .info, sink: LogSink = .standardError) {
        self.label = label
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        if let error = event.error { merged["error"] = "\(error)" }
        sink.write(Self.line(level: event.level, message: "\(event.message)", metadata: merged, label: label, date: Date()))
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
        for key in metadata.keys.sorted() where !["job", "device", "event"].contains(key) {
            fields.append((key, redactor.redact("\(metadata[key]!)")))
        }
        fields.append(("label", label))
        return "{" + fields.map { "\(jsonString($0.0)):\(jsonString($0.1))" }.joined(separator: ",") + "}\n"
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
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
