/// An interactive shell on a device: what the conversation needs from a transport.
///
/// `SSHSession` is the real one. Not `Sendable`: a channel is used by one thread only.
public protocol CLIChannel: AnyObject {
    /// Sends text as if typed.
    func write(_ text: String) throws
    /// What arrived within `timeout`; empty when nothing did. Throws when the connection is gone.
    func read(timeout: Duration) throws -> [UInt8]
}
