public import Logging

/// The `logging:` section of `netraven.yaml`: levels (overall and per module) and the optional log file.
public struct LogSettings: Sendable, Equatable {
    /// The level of every logger whose label no entry of `levels` covers.
    public var level: Logger.Level
    /// Levels per module: the key is a logger label (`netraven.ssh`) and covers that label and every label below
    /// it (`netraven.ssh.session`); the longest matching key wins.
    public var levels: [String: Logger.Level]
    /// A file that receives the same JSON lines as stderr, rotated by size; nil = stderr only.
    public var file: String?
    /// Size at which the file is rotated (`netraven.log` → `netraven.log.1` …).
    public var maxBytes: Int
    /// Files kept in all, the one being written included; the oldest is removed at rotation.
    public var maxFiles: Int

    /// The default size limit of one log file: 10 MB.
    public static let defaultMaxBytes = 10 * 1024 * 1024
    /// The default number of log files kept: 5.
    public static let defaultMaxFiles = 5

    /// Settings: `info`, no per-module levels, no file, 10 MB × 5 files when a file is set.
    public init(
        level: Logger.Level = .info, levels: [String: Logger.Level] = [:], file: String? = nil,
        maxBytes: Int = LogSettings.defaultMaxBytes, maxFiles: Int = LogSettings.defaultMaxFiles
    ) {
        self.level = level
        self.levels = levels
        self.file = file
        self.maxBytes = maxBytes
        self.maxFiles = maxFiles
    }

    /// The level for a logger labelled `label`: the longest key of `levels` that is the label or a dotted prefix of
    /// it, else `level`.
    public func level(for label: String) -> Logger.Level {
        var best: (length: Int, level: Logger.Level)?
        for (module, moduleLevel) in levels where label == module || label.hasPrefix(module + ".") {
            if module.count > (best?.length ?? -1) { best = (module.count, moduleLevel) }
        }
        return best?.level ?? level
    }

    /// The lowest level any logger may log at: a handler built before a reload must not have filtered more.
    public var mostVerbose: Logger.Level {
        ([level] + levels.values).min() ?? level
    }
}
