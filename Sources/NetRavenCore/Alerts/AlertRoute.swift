/// One route from configuration: which alerts it matches and the destinations it sends them to.
///
/// Empty criteria match everything: a route with no `verdict`, `failures`, `groups`, `tags` or `devices` takes
/// every alert at or above `minimumSeverity`.
public struct AlertRoute: Sendable, Equatable {
    /// How a failure class is matched.
    public struct FailureMatch: Sendable, Equatable {
        /// Fire on exactly this failure in a row (once per streak).
        public var after: Int
        /// Also send a recovery alert when a streak that reached `after` ends.
        public var recovery: Bool

        public init(after: Int = 1, recovery: Bool = false) {
            self.after = after
            self.recovery = recovery
        }
    }

    /// A name for messages and metrics; defaults to `routes[N]`.
    public var name: String
    /// Change verdicts this route takes; empty = none unless `failures` is empty too.
    public var verdicts: Set<ChangeVerdict.Kind>
    /// Failure classes this route takes, with their thresholds.
    public var failures: [AlertFailureClass: FailureMatch]
    /// Device groups; empty = any.
    public var groups: [String]
    /// Device tags, any of which matches; empty = any.
    public var tags: [String]
    /// Device names; empty = any.
    public var devices: [String]
    /// Alerts below this severity are not taken (recoveries are exempt: they follow the failure they end).
    public var minimumSeverity: AlertSeverity
    /// Destination names, checked against `alerts.destinations` when loading.
    public var destinations: [String]
    /// `false`: when this route matches, later routes are not tried.
    public var continueMatching: Bool
    /// Where the route is written, for messages.
    public var location: SourceLocation?

    public init(
        name: String, verdicts: Set<ChangeVerdict.Kind> = [], failures: [AlertFailureClass: FailureMatch] = [:],
        groups: [String] = [], tags: [String] = [], devices: [String] = [], minimumSeverity: AlertSeverity = .info,
        destinations: [String], continueMatching: Bool = true, location: SourceLocation? = nil
    ) {
        self.name = name
        self.verdicts = verdicts
        self.failures = failures
        self.groups = groups
        self.tags = tags
        self.devices = devices
        self.minimumSeverity = minimumSeverity
        self.destinations = destinations
        self.continueMatching = continueMatching
        self.location = location
    }

    /// Whether this route takes `alert`.
    public func matches(_ alert: Alert) -> Bool {
        guard groups.isEmpty || groups.contains(alert.group),
            tags.isEmpty || alert.tags.contains(where: tags.contains),
            devices.isEmpty || devices.contains(alert.device)
        else { return false }
        let catchAll = verdicts.isEmpty && failures.isEmpty
        switch alert.kind {
        case .change:
            guard alert.severity >= minimumSeverity else { return false }
            guard let verdict = alert.verdict else { return catchAll }
            return catchAll || verdicts.contains(verdict.kind)
        case .failure:
            guard alert.severity >= minimumSeverity, let failure = alert.failure else { return false }
            // A catch-all route takes each failure once, on the first of a streak.
            guard let match = failures[failure] else { return catchAll && alert.consecutiveFailures == 1 }
            return alert.consecutiveFailures == match.after
        case .recovery:
            guard let failure = alert.failure, let match = failures[failure] else { return false }
            return match.recovery && alert.consecutiveFailures >= match.after
        }
    }
}
