import Foundation

/// An RFC 5322 message with a UTF-8 text/plain body in quoted-printable (diff lines may be long or non-ASCII,
/// and SMTP allows at most 998 octets per line).
struct MailMessage {
    var from: String
    var to: [String]
    var subject: String
    var body: String
    var date: Date
    /// The right-hand side of the Message-ID.
    var domain: String
    var extraHeaders: [(String, String)] = []

    /// The message bytes, CRLF line ends.
    var bytes: [UInt8] {
        var headers = [
            ("Date", Self.rfc5322Date(date)),
            ("From", from),
            ("To", to.joined(separator: ", ")),
            ("Subject", Self.encodedWord(subject)),
            ("Message-ID", "<\(UUID().uuidString.lowercased())@\(domain)>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "quoted-printable"),
        ]
        headers += extraHeaders
        let head = headers.map { "\($0.0): \($0.1)\r\n" }.joined()
        return Array(head.utf8) + Array("\r\n".utf8) + Self.quotedPrintable(body)
    }

    /// `Tue, 01 Jul 2025 12:00:00 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    /// An RFC 2047 encoded word for non-ASCII subjects, split so no header line passes 76 characters.
    static func encodedWord(_ text: String) -> String {
        let clean = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if clean.allSatisfy({ $0.isASCII }) && clean.count <= 900 { return clean }
        var words: [String] = []
        var chunk = ""
        for character in clean {
            // 45 bytes of UTF-8 become 60 characters of base64, inside the 75 an encoded word may have.
            if chunk.utf8.count + character.utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    /// RFC 2045 quoted-printable: line breaks become CRLF, lines are soft-wrapped at 76 characters.
    static func quotedPrintable(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        let hex = Array("0123456789ABCDEF".utf8)
        for (index, line) in lines.enumerated() {
            var length = 0
            let bytes = Array(line.utf8)
            for (position, byte) in bytes.enumerated() {
                let last = position == bytes.count - 1
                let literal =
                    (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                    || ((byte == 32 || byte == 9) && !last)
                let encoded: [UInt8] = literal ? [byte] : [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
                if length + encoded.count > 75 {
                    output += Array("=\r\n".utf8)
                    length = 0
                }
                output += encoded
                length += encoded.count
            }
            if index < lines.count - 1 { output += [13, 10] }
        }
        return output
    }
}
