/// Faults a device can be told to show, to test how a client copes with misbehaving devices.
public struct LabFaults: Codable, Sendable, Equatable {
    /// Reject every authentication attempt, even with the right password.
    public var rejectAuth: Bool
    /// Delay in milliseconds before each output chunk (1 KiB) a session sends.
    public var slowMs: Int
    /// Accept the connection and authentication, then never answer (no pty/shell reply, no output).
    public var hang: Bool
    /// Close the TCP connection after this many bytes of `show` output.
    public var dropAfterBytes: Int?
    /// Stop the running-config output after this many bytes, then print the prompt as if done.
    public var truncateAfterBytes: Int?
    /// Hang mid-output: send this many bytes of `show` output, then nothing more (no prompt, input ignored) while
    /// the connection stays open, as a device whose CLI process wedges does.
    public var stallAfterBytes: Int?

    /// No faults.
    public init(
        rejectAuth: Bool = false, slowMs: Int = 0, hang: Bool = false,
        dropAfterBytes: Int? = nil, truncateAfterBytes: Int? = nil, stallAfterBytes: Int? = nil
    ) {
        self.rejectAuth = rejectAuth
        self.slowMs = slowMs
        self.hang = hang
        self.dropAfterBytes = dropAfterBytes
        self.truncateAfterBytes = truncateAfterBytes
        self.stallAfterBytes = stallAfterBytes
    }

    /// Whether any fault is active.
    public var isEmpty: Bool { self == LabFaults() }
}

/// A fault update as the control API receives it: absent fields keep their current value.
public struct LabFaultUpdate: Codable, Sendable, Equatable {
    /// See ``LabFaults/rejectAuth``.
    public var rejectAuth: Bool?
    /// See ``LabFaults/slowMs``.
    public var slowMs: Int?
    /// See ``LabFaults/hang``.
    public var hang: Bool?
    /// See ``LabFaults/dropAfterBytes``; 0 clears it.
    public var dropAfterBytes: Int?
    /// See ``LabFaults/truncateAfterBytes``; 0 clears it.
    public var truncateAfterBytes: Int?
    /// See ``LabFaults/stallAfterBytes``; 0 clears it.
    public var stallAfterBytes: Int?
    /// Generate a new host key, used from the next connection on (persisted when the lab has a state dir).
    public var rotateHostKey: Bool?

    /// An update; `nil` fields leave the current value.
    public init(
        rejectAuth: Bool? = nil, slowMs: Int? = nil, hang: Bool? = nil, dropAfterBytes: Int? = nil,
        truncateAfterBytes: Int? = nil, rotateHostKey: Bool? = nil, stallAfterBytes: Int? = nil
    ) {
        self.rejectAuth = rejectAuth
        self.slowMs = slowMs
        self.hang = hang
        self.dropAfterBytes = dropAfterBytes
        self.truncateAfterBytes = truncateAfterBytes
        self.rotateHostKey = rotateHostKey
        self.stallAfterBytes = stallAfterBytes
    }

    func applied(to faults: LabFaults) -> LabFaults {
        var f = faults
        if let rejectAuth { f.rejectAuth = rejectAuth }
        if let slowMs { f.slowMs = max(0, slowMs) }
        if let hang { f.hang = hang }
        if let dropAfterBytes { f.dropAfterBytes = dropAfterBytes > 0 ? dropAfterBytes : nil }
        if let truncateAfterBytes { f.truncateAfterBytes = truncateAfterBytes > 0 ? truncateAfterBytes : nil }
        if let stallAfterBytes { f.stallAfterBytes = stallAfterBytes > 0 ? stallAfterBytes : nil }
        return f
    }
}

/// An engineer's edit of a running configuration, as `POST /devices/{name}/change` receives it.
public struct LabConfigChange: Codable, Sendable, Equatable {
    /// Who made the change; shown in "Last configuration change ... by USER" / "## Last commit ... by USER".
    public var user: String
    /// Where the engineer connected from (reported to change listeners, e.g. for syslog later).
    public var source: String?
    /// Lines to add. Junos: `set ...` statements (or a path and a statement); others: config lines.
    public var add: [String]
    /// Lines to remove. Junos: `delete ...` / `set ...` statements; others: lines, matched after trimming.
    public var remove: [String]

    /// A change by `user`.
    public init(user: String, source: String? = nil, add: [String] = [], remove: [String] = []) {
        self.user = user
        self.source = source
        self.add = add
        self.remove = remove
    }

    enum CodingKeys: String, CodingKey { case user, source, add, remove }

    /// Decodes with `add` / `remove` optional.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        user = try c.decodeIfPresent(String.self, forKey: .user) ?? "admin"
        source = try c.decodeIfPresent(String.self, forKey: .source)
        add = try c.decodeIfPresent([String].self, forKey: .add) ?? []
        remove = try c.decodeIfPresent([String].self, forKey: .remove) ?? []
    }
}
