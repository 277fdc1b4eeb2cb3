/// How loudly something should be told: routes pick alerts by a minimum severity.
public enum AlertSeverity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, warning, critical

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .critical: 2
        }
    }

    public static func < (lhs: AlertSeverity, rhs: AlertSeverity) -> Bool { lhs.rank < rhs.rank }
}

/// Whether a committed change was expected, and why: the verdict policy's answer for one capture.
public struct ChangeVerdict: Sendable, Equatable, Codable {
    /// Expected changes are recorded quietly; unexpected ones are alerted on.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case expected, unexpected
    }

    /// One reason behind the verdict: a stable code (for routes, metrics, trailers) and a sentence for people.
    public struct Reason: Sendable, Equatable, Codable, CustomStringConvertible {
        /// `no-event`, `user-not-allowed`, `outside-window`, `sensitive-lines`, `allowed-user`, `inside-window`,
        /// `automation-account`, `ticket`, ...
        public var code: String
        public var detail: String

        public init(code: String, detail: String) {
            self.code = code
            self.detail = detail
        }

        public var description: String { "\(code): \(detail)" }
    }

    public var kind: Kind
    public var reasons: [Reason]
    public var severity: AlertSeverity

    public init(kind: Kind, reasons: [Reason], severity: AlertSeverity) {
        self.kind = kind
        self.reasons = reasons
        self.severity = severity
    }
}
