public import Foundation

extension SyslogMessage {
    /// The longest message parsed; longer ones are refused as `.oversized` so the work per message stays bounded.
    /// RFC 5425 receivers must accept 2048 bytes and should accept 8192; devices that log long commands go beyond.
    public static let maximumLength = 65_536

    /// Parses one message: its bytes exactly as received, without framing (a trailing LF, CR or NUL is ignored).
    ///
    /// - Parameters:
    ///   - bytes: the message; invalid UTF-8 is tolerated and replaced.
    ///   - reference: supplies the year RFC 3164 timestamps lack (a date more than a day ahead of it is taken as
    ///     last year's, for messages sent just before New Year).
    /// - Throws: `SyslogParseError` for input that is not a syslog message; never traps, never loops.
    public static func parse(_ bytes: some Collection<UInt8>, reference: Date = Date()) throws(SyslogParseError)
        -> SyslogMessage
    {
        guard bytes.count <= maximumLength else {
            throw SyslogParseError(.oversized, "message of \(bytes.count) bytes exceeds \(maximumLength)")
        }
        var array = Array(bytes)
        while let last = array.last, last == 0 || last == 0x0A || last == 0x0D || last == 0x20 {
            array.removeLast()
        }
        guard !array.isEmpty else { throw SyslogParseError(.empty, "empty message") }
        var controls = 0
        for byte in array where byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
            if byte == 0 { throw SyslogParseError(.binary, "NUL byte inside the message") }
            controls += 1
        }
        if controls * 8 > array.count {
            throw SyslogParseError(.binary, "\(controls) control bytes in \(array.count)")
        }
        var cursor = ByteCursor(array)
        return try parseMessage(&cursor, reference: reference, depth: 0)
    }

    /// Parses a message from `<PRI>`; `depth` counts relay headers already taken off.
    private static func parseMessage(_ cursor: inout ByteCursor, reference: Date, depth: Int) throws(SyslogParseError)
        -> SyslogMessage
    {
        guard cursor.take(UInt8(ascii: "<")) else {
            throw SyslogParseError(.missingPriority, "does not start with <PRI>")
        }
        guard let (priority, digits) = cursor.number(maxDigits: 3), digits > 0, cursor.take(UInt8(ascii: ">")) else {
            throw SyslogParseError(.missingPriority, "<PRI> is not 1 to 3 digits closed by >")
        }
        guard priority <= 191 else { throw SyslogParseError(.invalidPriority, "priority \(priority) is above 191") }

        var message: SyslogMessage
        if let version = cursor.peekVersion() {
            cursor.index += version
            message = parse5424(&cursor, reference: reference)
        } else {
            message = parse3164(&cursor, reference: reference, allowRelayedHostname: depth == 0)
        }
        message.facility = priority / 8
        message.severity = priority % 8

        // A relay (rsyslog, syslog-ng) that forwards the device's message whole puts its own header in front.
        if depth < 2, message.text.hasPrefix("<"), message.text.utf8.dropFirst().first.map(ByteCursor.isDigit) == true {
            var inner = ByteCursor(Array(message.text.utf8))
            if var relayed = try? parseMessage(&inner, reference: reference, depth: depth + 1) {
                relayed.relayHost = relayed.relayHost ?? message.hostname
                return relayed
            }
        }
        return message
    }

    // MARK: RFC 5424

    private static func parse5424(_ cursor: inout ByteCursor, reference: Date) -> SyslogMessage {
        var message = SyslogMessage(facility: 0, severity: 0, format: .rfc5424, text: "")
        let timestamp = cursor.token()
        if let timestamp, timestamp != "-" {
            message.timestampText = timestamp
            var stamp = ByteCursor(Array(timestamp.utf8))
            message.timestamp = SyslogTimestamp.parseISO(&stamp).flatMap { stamp.atEnd ? $0 : nil }
        }
        message.hostname = cursor.token().flatMap(nilIfDash)
        message.appName = cursor.token().flatMap(nilIfDash)
        message.procID = cursor.token().flatMap(nilIfDash)
        message.msgID = cursor.token().flatMap(nilIfDash)
        _ = cursor.take(0x20)
        if cursor.peek() == UInt8(ascii: "-") && (cursor.peek(1) == nil || cursor.peek(1) == 0x20) {
            cursor.index += 1
        } else {
            message.structuredData = structuredData(&cursor)
        }
        _ = cursor.take(0x20)
        var rest = cursor.rest
        if rest.starts(with: [0xEF, 0xBB, 0xBF]) { rest = rest.dropFirst(3) }
        message.text = String(decoding: rest, as: UTF8.self)
        return message
    }

    private static func nilIfDash(_ text: String) -> String? { text == "-" ? nil : text }

    /// `[id name="value" ...]...`; stops at the first malformed element and leaves the rest as text.
    private static func structuredData(_ cursor: inout ByteCursor) -> [StructuredElement] {
        var elements: [StructuredElement] = []
        while cursor.peek() == UInt8(ascii: "[") {
            let start = cursor.index
            cursor.index += 1
            guard let id = cursor.word(stoppingAt: [0x20, UInt8(ascii: "]")]), !id.isEmpty else {
                cursor.index = start
                break
            }
            var parameters: [StructuredElement.Parameter] = []
            var valid = true
            while true {
                if cursor.take(UInt8(ascii: "]")) { break }
                guard cursor.take(0x20), let name = cursor.word(stoppingAt: [UInt8(ascii: "=")]),
                    cursor.take(UInt8(ascii: "=")), cursor.take(UInt8(ascii: "\""))
                else {
                    valid = false
                    break
                }
                var value: [UInt8] = []
                var closed = false
                while let byte = cursor.next() {
                    if byte == UInt8(ascii: "\\"), let escaped = cursor.peek(),
                        escaped == UInt8(ascii: "\"") || escaped == UInt8(ascii: "\\") || escaped == UInt8(ascii: "]")
                    {
                        value.append(escaped)
                        cursor.index += 1
                    } else if byte == UInt8(ascii: "\"") {
                        closed = true
                        break
                    } else {
                        value.append(byte)
                    }
                }
                guard closed else {
                    valid = false
                    break
                }
                parameters.append(.init(name: name, value: String(decoding: value, as: UTF8.self)))
            }
            guard valid else {
                cursor.index = start
                break
            }
            elements.append(StructuredElement(id: id, parameters: parameters))
        }
        return elements
    }

    // MARK: RFC 3164 and vendor variants

    private static func parse3164(_ cursor: inout ByteCursor, reference: Date, allowRelayedHostname: Bool)
        -> SyslogMessage
    {
        var message = SyslogMessage(facility: 0, severity: 0, format: .rfc3164, text: "")
        ciscoPrefix(&cursor, into: &message, reference: reference)
        if message.timestampText != nil && cursor.peek() != UInt8(ascii: ":") {
            // BSD layout: `TIMESTAMP HOSTNAME ...`; Cisco's layout ends the timestamp with a colon instead.
            let save = cursor.index
            cursor.skipSpaces()
            if let host = cursor.token(), isHostname(host), cursor.peek() == 0x20 {
                message.hostname = host
                cursor.skipSpaces()
                // A relay that kept the device's name in front of the device's own Cisco-style header.
                if allowRelayedHostname {
                    var inner = SyslogMessage(facility: 0, severity: 0, format: .rfc3164, text: "")
                    let innerStart = cursor.index
                    ciscoPrefix(&cursor, into: &inner, reference: reference)
                    let next = cursor.peek()
                    if inner.timestampText != nil || inner.sequence != nil,
                        next == UInt8(ascii: ":") || next == UInt8(ascii: "%")
                    {
                        message.sequence = inner.sequence ?? message.sequence
                        if inner.timestampText != nil {
                            message.timestamp = inner.timestamp
                            message.timestampText = inner.timestampText
                        }
                    } else {
                        cursor.index = innerStart
                    }
                }
            } else {
                cursor.index = save
            }
        }
        _ = cursor.take(UInt8(ascii: ":"))
        cursor.skipSpaces()
        tag(&cursor, into: &message)
        message.text = String(decoding: cursor.rest, as: UTF8.self)
        return message
    }

    /// `48213: `, `r1: `, `*`/`.` and a timestamp, each optional, in the order Cisco-like devices send them.
    private static func ciscoPrefix(_ cursor: inout ByteCursor, into message: inout SyslogMessage, reference: Date) {
        let start = cursor.index
        if let (_, digits) = cursor.number(maxDigits: 12), digits > 0, cursor.peek() == UInt8(ascii: ":"),
            cursor.peek(1) == 0x20
        {
            message.sequence = String(decoding: cursor.bytes[start..<cursor.index], as: UTF8.self)
            cursor.index += 2
        } else if cursor.peek() == UInt8(ascii: ":") && cursor.peek(1) == 0x20 {
            cursor.index += 2  // NX-OS: `<189>: 2024 Mar  4 ...`, an empty sequence field.
        } else {
            cursor.index = start
        }
        cursor.skipSpaces()
        // `logging origin-id hostname`: the name after the sequence number, before the timestamp.
        let hostStart = cursor.index
        if SyslogTimestamp.parse(&cursor, reference: reference) == nil, let host = cursor.word(stoppingAt: [0x20]),
            host.hasSuffix(":"), isHostname(String(host.dropLast())), cursor.peek() == 0x20
        {
            let after = cursor.index
            cursor.skipSpaces()
            let next = cursor.peek()
            if next == UInt8(ascii: "%") || next == UInt8(ascii: "*") || next == UInt8(ascii: ".")
                || SyslogTimestamp.parse(&cursor, reference: reference) != nil
            {
                message.hostname = String(host.dropLast())
                cursor.index = after
                cursor.skipSpaces()
            } else {
                cursor.index = hostStart
            }
        } else {
            cursor.index = hostStart
        }
        // IOS-XR names the node (`RP/0/RSP0/CPU0:`) right before the timestamp.
        let nodeStart = cursor.index
        // A byte test: String.contains(String) is Foundation's range(of:) through NSString, on every message.
        if let node = cursor.word(stoppingAt: [UInt8(ascii: ":"), 0x20]), node.utf8.contains(UInt8(ascii: "/")),
            cursor.take(UInt8(ascii: ":"))
        {
            let afterNode = cursor.index
            cursor.index = SyslogTimestamp.parse(&cursor, reference: reference) == nil ? nodeStart : afterNode
        } else {
            cursor.index = nodeStart
        }
        let stampStart = cursor.index
        if let (date, _) = SyslogTimestamp.parse(&cursor, reference: reference) {
            message.timestamp = date
            message.timestampText = String(decoding: cursor.bytes[stampStart..<cursor.index], as: UTF8.self)
        } else {
            cursor.index = stampStart
        }
    }

    /// `mgd[1234]: `, `Cli: `: a program tag. Tokens in capitals (`UI_COMMIT:`, `%SYS-5-CONFIG_I:`) are message
    /// identifiers, part of the text the rules match, so they are left alone.
    private static func tag(_ cursor: inout ByteCursor, into message: inout SyslogMessage) {
        // Nearly every tag is ASCII: decided on bytes, the same way the Character-level reading decides it (ASCII
        // letters and digits are what CharacterSet.alphanumerics holds below 0x80, a-z what isLowercase is).
        guard case .tag(let name, let pid, let end) = asciiTag(cursor.bytes, from: cursor.index)
            ?? characterTag(cursor.bytes, from: cursor.index)
        else { return }
        message.appName = name
        message.procID = pid
        cursor.index = end
        cursor.skipSpaces()
    }

    enum Tag: Equatable {
        case notATag
        /// The program name, its process id, and the index just past the word's colon.
        case tag(name: String, pid: String?, end: Int)
    }

    /// The tag reading on Characters and Unicode properties, for any word.
    static func characterTag(_ bytes: [UInt8], from start: Int) -> Tag {
        var cursor = ByteCursor(bytes)
        cursor.index = start
        guard let word = cursor.word(stoppingAt: [0x20]), word.hasSuffix(":"), word.count > 1 else { return .notATag }
        var name = String(word.dropLast())
        var pid: String?
        if name.hasSuffix("]"), let open = name.firstIndex(of: "[") {
            pid = String(name[name.index(after: open)..<name.index(before: name.endIndex)])
            name = String(name[..<open])
        }
        let allowed = name.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "_-./".unicodeScalars.contains($0)
        }
        let looksLikeProgram = pid != nil || name.contains { $0.isLowercase }
        guard !name.isEmpty, allowed, looksLikeProgram, name.unicodeScalars.first.map({ $0.isASCII }) == true else {
            return .notATag
        }
        return .tag(name: name, pid: pid, end: cursor.index)
    }

    /// `characterTag` for a word of ASCII bytes, on bytes; nil when the word holds other bytes.
    static func asciiTag(_ bytes: [UInt8], from start: Int) -> Tag? {
        var end = start
        while end < bytes.count, bytes[end] != 0x20 {
            guard bytes[end] < 0x80 else { return nil }
            end += 1
        }
        // `word:` followed by a space or the end, with something before the colon.
        guard end - start > 1, bytes[end - 1] == UInt8(ascii: ":") else { return .notATag }
        var nameEnd = end - 1
        var pid: String?
        if bytes[nameEnd - 1] == UInt8(ascii: "]"), let open = bytes[start..<nameEnd].firstIndex(of: UInt8(ascii: "[")) {
            pid = String(decoding: bytes[(open + 1)..<(nameEnd - 1)], as: UTF8.self)
            nameEnd = open
        }
        guard nameEnd > start else { return .notATag }
        var hasLowercase = false
        for byte in bytes[start..<nameEnd] {
            let isLower = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
            let isUpper = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
            let isOther = ByteCursor.isDigit(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/")
            guard isLower || isUpper || isOther else { return .notATag }
            hasLowercase = hasLowercase || isLower
        }
        guard pid != nil || hasLowercase else { return .notATag }
        return .tag(name: String(decoding: bytes[start..<nameEnd], as: UTF8.self), pid: pid, end: end)
    }

    /// A host name or address as devices write it in headers.
    static func isHostname(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 255, !text.hasSuffix(":") else { return false }
        return text.utf8.allSatisfy { byte in
            ByteCursor.isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: ":")
        }
    }
}
