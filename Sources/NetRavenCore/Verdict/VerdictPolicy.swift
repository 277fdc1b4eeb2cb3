public import Foundation

/// Decides whether a committed change was expected (the `verdict:` section of netraven.yaml).
///
/// A change is **unexpected** when no event from the device explains it (a sweep or a manual capture found it),
/// when a user who made it is not allowed to change that device, when it was made outside every change window that
/// covers the device, or when it touched sensitive lines. An automation account, or a ticket reference in the commit
/// comment, vouches for the user and the time; sensitive lines stay unexpected unless `sensitive_exempt` names
/// what may change them. Pure: the same input always gives the same verdict.
public struct VerdictPolicy: Sendable {
    /// What may vouch for a change that touches sensitive lines.
    public enum Exemption: String, Sendable, CaseIterable {
        case automation, ticket
    }

    /// Who may change which devices.
    public struct UserRule: Sendable, Equatable {
        /// Device names, groups or tags; empty = every device.
        public var devices: [String]
        public var allow: [String]

        public init(devices: [String] = [], allow: [String]) {
            self.devices = devices
            self.allow = allow
        }
    }

    /// Accounts of automation (Ansible, NetRaven itself, an orchestrator), compared without case.
    public var automationAccounts: [String]
    /// A ticket reference in a commit comment (`CHG[0-9]+`); nil = comments are not consulted.
    public var ticketPattern: RulePattern?
    public var users: [UserRule]
    public var windows: [ChangeWindow]
    public var sensitive: [SensitiveCategory]
    public var sensitiveExemptions: Set<Exemption>

    public init(
        automationAccounts: [String] = [], ticketPattern: RulePattern? = nil, users: [UserRule] = [],
        windows: [ChangeWindow] = [], sensitive: [SensitiveCategory] = [], sensitiveExemptions: Set<Exemption> = []
    ) {
        self.automationAccounts = automationAccounts
        self.ticketPattern = ticketPattern
        self.users = users
        self.windows = windows
        self.sensitive = sensitive
        self.sensitiveExemptions = sensitiveExemptions
    }

    /// What the policy looks at for one change.
    public struct Input: Sendable {
        public var device: Device
        public var trigger: TriggerKind
        /// The events the capture carried (empty for a sweep or a manual capture that found a change).
        public var events: [ChangeEvent]
        public var changes: ChangedLines
        /// The first version of the device in the archive: a baseline, not a change.
        public var isFirstCapture: Bool
        /// When the capture ran (the change time when no event says when).
        public var capturedAt: Date

        public init(
            device: Device, trigger: TriggerKind, events: [ChangeEvent], changes: ChangedLines,
            isFirstCapture: Bool, capturedAt: Date
        ) {
            self.device = device
            self.trigger = trigger
            self.events = events
            self.changes = changes
            self.isFirstCapture = isFirstCapture
            self.capturedAt = capturedAt
        }
    }

    /// The verdict for one change, with the reasons that decided it.
    public func verdict(for input: Input) -> ChangeVerdict {
        if input.isFirstCapture {
            return ChangeVerdict(
                kind: .expected, reasons: [.init(code: "baseline", detail: "first version of the device in the archive")],
                severity: .info)
        }
        if input.changes.isEmpty {
            // Only what surrounds the configuration changed (facts such as the OS version, the startup copy).
            return ChangeVerdict(
                kind: .expected, reasons: [.init(code: "no-config-change", detail: "the configuration lines did not change")],
                severity: .info)
        }
        var against: [ChangeVerdict.Reason] = []
        var inFavour: [ChangeVerdict.Reason] = []
        let users = Self.distinct(input.events.compactMap(\.user))
        let automation = !users.isEmpty && users.allSatisfy(isAutomationAccount)
        let ticket = ticketReference(in: input.events)

        if input.events.isEmpty {
            against.append(
                .init(
                    code: "no-event",
                    detail: "found by a \(input.trigger.rawValue) capture; no event from the device explains it"))
        } else if automation {
            inFavour.append(.init(code: "automation-account", detail: "made by \(users.joined(separator: ", "))"))
        } else if let ticket {
            inFavour.append(.init(code: "ticket", detail: "commit comment references \(ticket)"))
        } else {
            checkUsers(users, device: input.device, against: &against, inFavour: &inFavour)
            checkWindows(input, against: &against, inFavour: &inFavour)
            if inFavour.isEmpty && against.isEmpty {
                let who = users.isEmpty ? "" : " by \(users.joined(separator: ", "))"
                let how = Self.distinct(input.events.map(\.kind.rawValue)).joined(separator: ", ")
                inFavour.append(.init(code: "reported", detail: "reported\(who) via \(how)"))
            }
        }

        let touched = sensitive.filter { category in
            input.changes.added.contains(where: category.matches) || input.changes.removed.contains(where: category.matches)
        }
        if !touched.isEmpty {
            let names = touched.map(\.name).joined(separator: ", ")
            let exempt = (automation && sensitiveExemptions.contains(.automation))
                || (ticket != nil && sensitiveExemptions.contains(.ticket))
            if exempt {
                inFavour.append(.init(code: "sensitive-exempt", detail: "sensitive lines changed (\(names)), vouched for"))
            } else {
                against.append(.init(code: "sensitive-lines", detail: "sensitive lines changed: \(names)"))
            }
        }

        if against.isEmpty {
            return ChangeVerdict(kind: .expected, reasons: inFavour, severity: .info)
        }
        let critical = against.contains { $0.code == "sensitive-lines" }
        return ChangeVerdict(kind: .unexpected, reasons: against, severity: critical ? .critical : .warning)
    }

    private func checkUsers(
        _ users: [String], device: Device, against: inout [ChangeVerdict.Reason], inFavour: inout [ChangeVerdict.Reason]
    ) {
        let rules = self.users.filter { Self.covers($0.devices, device) }
        guard !rules.isEmpty else { return }
        let allowed = Set(rules.flatMap(\.allow).map { $0.lowercased() })
        guard !users.isEmpty else {
            against.append(.init(code: "user-not-allowed", detail: "the event names no user"))
            return
        }
        let refused = users.filter { !allowed.contains($0.lowercased()) }
        if refused.isEmpty {
            inFavour.append(.init(code: "allowed-user", detail: "\(users.joined(separator: ", ")) may change \(device.name)"))
        } else {
            against.append(
                .init(code: "user-not-allowed", detail: "\(refused.joined(separator: ", ")) may not change \(device.name)"))
        }
    }

    private func checkWindows(
        _ input: Input, against: inout [ChangeVerdict.Reason], inFavour: inout [ChangeVerdict.Reason]
    ) {
        let covering = windows.filter { Self.covers($0.devices, input.device) }
        guard !covering.isEmpty else { return }
        let when = input.events.map(\.time).max() ?? input.capturedAt
        if let open = covering.first(where: { $0.contains(when) }) {
            inFavour.append(.init(code: "inside-window", detail: "inside change window \(open.name)"))
        } else {
            let stamp = ISO8601DateFormatter().string(from: when)
            let names = covering.map(\.name).joined(separator: ", ")
            against.append(.init(code: "outside-window", detail: "made at \(stamp), outside every change window (\(names))"))
        }
    }

    private func isAutomationAccount(_ user: String) -> Bool {
        automationAccounts.contains { $0.caseInsensitiveCompare(user) == .orderedSame }
    }

    private func ticketReference(in events: [ChangeEvent]) -> String? {
        guard let ticketPattern else { return nil }
        for comment in events.compactMap(\.comment) {
            if let match = ticketPattern.firstMatch(in: comment) { return String(comment[match.range]) }
        }
        return nil
    }

    /// Whether a selector list (names, aliases, groups, tags; empty = all) covers the device.
    static func covers(_ selectors: [String], _ device: Device) -> Bool {
        selectors.isEmpty
            || selectors.contains {
                $0 == device.name || $0 == device.group || device.tags.contains($0) || device.aliases.contains($0)
            }
    }

    static func distinct(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }
}
