/// What a change listener hears about: enough to emit the syslog message or trap a real device would send.
public struct LabChangeEvent: Sendable {
    /// What happened on the device.
    public enum Kind: String, Sendable, Codable {
        /// The running configuration was changed (or, on Cisco-like platforms, config mode was left).
        case configured
        /// Running was copied to startup (`write memory`, `copy running-config startup-config`).
        case saved
        /// A session entered configuration mode (not a change).
        case configEntered
        /// A session left configuration mode (Junos only reports this separately; not a change).
        case configExited
        /// One configuration command was entered (IOS archive logging).
        case commandLogged
    }

    /// How the change reached the device.
    public enum Channel: String, Sendable, Codable {
        /// An interactive SSH session.
        case cli
        /// The control API or a library call (automation, as NETCONF or an API would be).
        case api
    }

    /// The device that changed.
    public var device: String
    /// The platform of that device.
    public var platform: LabPlatform
    /// The user the change is attributed to.
    public var user: String
    /// The source address the change came from, when known.
    public var source: String?
    /// The device's change counter after this change.
    public var changeCount: Int
    /// Seconds since 1970 when the change happened.
    public var time: Double
    /// What happened; `configured` for every change made through the control API or the library.
    public var kind: Kind = .configured
    /// How the change arrived.
    public var channel: Channel = .api
    /// The terminal line of the session (0 for `vty0` / `pts/0`), when it came from a session.
    public var line: Int?
    /// Whether the running configuration really changed (leaving IOS config mode without edits still reports).
    public var changed = true
    /// The Junos commit comment, if any.
    public var comment: String?
    /// The configuration command, for `commandLogged`.
    public var command: String?
}
