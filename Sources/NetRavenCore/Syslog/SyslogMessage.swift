public import Foundation

/// One syslog message as a device (or a relay in front of it) sent it: RFC 5424 or RFC 3164 with the variations
/// real devices produce (sequence numbers, clock-sync markers, no hostname, a relay's header in front).
///
/// Parse one message with `SyslogMessage.parse(_:)`; the listener hands over one message's bytes.
public struct SyslogMessage: Sendable, Equatable {
    /// Which header layout the message used.
    public enum Format: String, Sendable, Equatable {
        /// `<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`.
        case rfc5424
        /// `<PRI>TIMESTAMP HOST TAG: MSG` and the many vendor variants of it.
        case rfc3164
    }

    /// One structured-data element of an RFC 5424 message (`[junos@2636.1.1.1.2.21 username="admin"]`).
    public struct StructuredElement: Sendable, Equatable {
        /// One `name="value"` pair, unescaped, in the order sent (names may repeat).
        public struct Parameter: Sendable, Equatable {
            /// The parameter name.
            public var name: String
            /// The value with `\"`, `\\` and `\]` unescaped.
            public var value: String

            /// A parameter.
            public init(name: String, value: String) {
                self.name = name
                self.value = value
            }
        }

        /// The SD-ID (`timeQuality`, `junos@2636.1.1.1.2.21`).
        public var id: String
        /// The parameters in the order sent.
        public var parameters: [Parameter]

        /// An element.
        public init(id: String, parameters: [Parameter]) {
            self.id = id
            self.parameters = parameters
        }

        /// The first value of parameter `name`.
        public subscript(name: String) -> String? {
            parameters.first { $0.name == name }?.value
        }
    }

    /// The facility, 0...23 (`local7` is 23).
    public var facility: Int
    /// The severity, 0 (emergency) ... 7 (debug).
    public var severity: Int
    /// The header layout of the device's own message (the inner one when relayed).
    public var format: Format
    /// The device's sequence number (`<189>48213: ...`), when it sends one.
    public var sequence: String?
    /// The timestamp when it could be read. RFC 3164 carries no year and often no zone: the year is taken from the
    /// parse's reference date, a missing zone is taken as UTC. Clocks on devices drift: order events by receive time.
    public var timestamp: Date?
    /// The timestamp exactly as sent, clock-sync marker included (`*Mar  4 09:12:44.512 UTC`).
    public var timestampText: String?
    /// The device's name or address as the message carries it (the inner one when relayed); nil when it carries none
    /// (Cisco IOS by default), so the listener uses the packet's source address.
    public var hostname: String?
    /// The relay's name when another syslog server's header was put in front of the device's message.
    public var relayHost: String?
    /// The APP-NAME (5424) or the tag before `[pid]:` (3164, `mgd`, `Cli`).
    public var appName: String?
    /// The PROCID (5424) or the pid in the tag.
    public var procID: String?
    /// The MSGID (5424 only, `UI_COMMIT`).
    public var msgID: String?
    /// The structured data (5424 only).
    public var structuredData: [StructuredElement]
    /// The free text (MSG), byte-order mark removed, invalid UTF-8 replaced by U+FFFD.
    public var text: String

    /// A message; parsers fill it, tests build expectations with it.
    public init(
        facility: Int, severity: Int, format: Format, sequence: String? = nil, timestamp: Date? = nil,
        timestampText: String? = nil, hostname: String? = nil, relayHost: String? = nil, appName: String? = nil,
        procID: String? = nil, msgID: String? = nil, structuredData: [StructuredElement] = [], text: String
    ) {
        self.facility = facility
        self.severity = severity
        self.format = format
        self.sequence = sequence
        self.timestamp = timestamp
        self.timestampText = timestampText
        self.hostname = hostname
        self.relayHost = relayHost
        self.appName = appName
        self.procID = procID
        self.msgID = msgID
        self.structuredData = structuredData
        self.text = text
    }

    /// What change rules are matched against: the text, preceded by `MSGID: ` when the message has a MSGID, so one
    /// pattern (`UI_COMMIT: User '(?<user>[^']+)'`) matches Junos in RFC 3164 and in RFC 5424 alike.
    public var ruleText: String {
        guard let msgID, !text.hasPrefix(msgID) else { return text }
        return "\(msgID): \(text)"
    }
}
