public import Logging

extension Logger {
    /// This logger under a module's label (`netraven.ssh`), keeping its metadata (`job`, `device`) and destination,
    /// at the level `logging.levels` sets for that module.
    ///
    /// A job's logger is passed down through SSH collection, the archive and the journal; each module relabels it
    /// so a per-module level applies while every line still carries the job's id and device.
    public func module(_ label: String) -> Logger {
        guard let json = handler as? JSONLogHandler else { return self }
        var copy = self
        copy.handler = json.relabeled(label)
        return copy
    }
}
