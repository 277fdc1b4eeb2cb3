/// What a trap says about a device's configuration, decided by `TrapRuleBook.classify`.
public struct TrapClassification: Sendable, Equatable {
    /// The trap reports a configuration change NetRaven should capture.
    public var change: Bool
    /// committed / saved / rollback when `change`; nil otherwise.
    public var kind: ChangeKind?
    /// The user the trap names.
    public var user: String?
    /// The remote address when the trap carries one, else the terminal or channel.
    public var source: String?
    /// The terminal type or line (`virtual`, `console`).
    public var terminal: String?
    /// How the change was made (`commandLine`, `snmp`, `cli`, `netconf`).
    public var commandSource: String?
    /// Where the configuration data came from (`commandSource`, `networkTftp`, `session`).
    public var configSource: String?
    /// Where it went (`running`, `startup`, `networkTftp`).
    public var destination: String?
    /// The commit comment (Junos `jnxCmCfgChgEventLog`).
    public var comment: String?
    /// `MIB.trapName` of the rule that decided, nil when no rule knows the trap.
    public var rule: String?
    /// The MIB of that rule.
    public var mib: String?
    /// Why it is not a change, in words (a read, a backup, a link event, an unknown trap).
    public var reason: String?

    public init(
        change: Bool, kind: ChangeKind? = nil, user: String? = nil, source: String? = nil, terminal: String? = nil,
        commandSource: String? = nil, configSource: String? = nil, destination: String? = nil,
        rule: String? = nil, mib: String? = nil, reason: String? = nil
    ) {
        self.change = change
        self.kind = kind
        self.user = user
        self.source = source
        self.terminal = terminal
        self.commandSource = commandSource
        self.configSource = configSource
        self.destination = destination
        self.rule = rule
        self.mib = mib
        self.reason = reason
    }
}
