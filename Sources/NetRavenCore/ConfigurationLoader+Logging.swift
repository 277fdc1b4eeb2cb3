import Foundation
public import Logging

extension ConfigurationLoader {
    /// Reads the `logging:` section (`level`, `levels`, `file`, `max_bytes`, `max_files`); every problem is reported
    /// at its own line and column.
    func readLogging(_ node: NodeReader, resolve: (String) -> String) -> LogSettings {
        var logging = LogSettings()
        guard let map = node.mapping(allowed: ["level", "levels", "file", "max_bytes", "max_files"]) else {
            return logging
        }
        if let levelNode = map["level"], let level = readLevel(levelNode) { logging.level = level }
        if let levelsNode = map["levels"], !levelsNode.isNull, let entries = levelsNode.namedEntries() {
            for (module, _, value) in entries {
                guard !module.isEmpty else {
                    value.error("logging.levels: a module name (logger label such as netraven.ssh) must not be empty")
                    continue
                }
                if let level = readLevel(value) { logging.levels[module] = level }
            }
        }
        if let fileNode = map["file"], !fileNode.isNull, let file = fileNode.string() {
            let path = resolve(file)
            let directory = (path as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: directory.isEmpty ? "." : directory, isDirectory: &isDirectory)
                || !isDirectory.boolValue
            {
                fileNode.error("logging.file: the folder \(directory) does not exist")
            } else {
                logging.file = path
            }
        }
        // A file smaller than a few lines would rotate on every line; 1 GiB per file is far beyond any need.
        logging.maxBytes = map["max_bytes"]?.int(in: 4096...1_073_741_824) ?? logging.maxBytes
        logging.maxFiles = map["max_files"]?.int(in: 1...1000) ?? logging.maxFiles
        return logging
    }

    private func readLevel(_ node: NodeReader) -> Logger.Level? {
        guard let text = node.string() else { return nil }
        guard let level = LogLevelName.level(text) else {
            node.error("\(node.path) must be one of \(LogLevelName.allowed.joined(separator: ", ")), found '\(text)'")
            return nil
        }
        return level
    }
}

extension LogLevelName {
    /// The swift-log level for a configured name (any case); `DEBUG`…`CRITICAL` and `warn` are accepted too.
    public static func level(_ name: String) -> Logger.Level? {
        let lowered = name.lowercased()
        return lowered == "warn" ? .warning : Logger.Level(rawValue: lowered)
    }
}
