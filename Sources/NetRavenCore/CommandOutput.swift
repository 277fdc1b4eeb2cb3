import Foundation

/// What a device printed for one command, between the echo of the command and the next prompt, without the pager's
/// prompts: the body `DeviceConversation.run` returns.
///
/// The output of `show running-config` is the whole configuration (200 KB and more): splitting it into a String
/// per line by Characters and joining them again was the largest part of a capture's CPU (benchmark P4,
/// docs/benchmarks.md). Lines are found with memchr and copied as bytes; only the first line (the echo) and lines
/// the pager pattern may match become Strings.
public enum CommandOutput {
    /// `text` (rendered terminal text ending with the prompt line) without its first line when that is the
    /// echoed `command` or blank, without its last line (the prompt), and with `pager` matches removed from each
    /// line (a line left blank by that is dropped).
    public static func body(of text: String, command: String, pager: RulePattern?) -> String {
        var text = text
        return text.withUTF8 { bytes in
            // Rendered text has no CR; if some remains, the Character reading (where CR LF is one Character, not a
            // line end) decides, as it always did.
            guard let base = bytes.baseAddress, memchr(base, 0x0D, bytes.count) == nil else {
                return characterBody(of: String(decoding: bytes, as: UTF8.self), command: command, pager: pager)
            }
            var lines = ByteLines.ranges(in: bytes)[...]
            if let first = lines.first {
                let echo = String(decoding: bytes[first], as: UTF8.self)
                if echo.hasSuffix(command) || echo.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeFirst() }
            }
            if !lines.isEmpty { lines.removeLast() }
            // Written straight into the String's storage: the body is at most the text, and a second 200 KB buffer
            // per command (then copied) cost more in page faults than the split saved.
            return String(unsafeUninitializedCapacity: bytes.count) { storage in
                var count = 0
                func append(_ line: UnsafeBufferPointer<UInt8>) {
                    _ = UnsafeMutableBufferPointer(rebasing: storage[count..<(count + line.count)]).initialize(from: line)
                    count += line.count
                }
                var isFirstLine = true
                for range in lines {
                    let line = UnsafeBufferPointer(rebasing: bytes[range])
                    var cleaned: String?
                    if let pager, pager.mayMatch(line) {
                        guard let kept = pagerCleaned(String(decoding: line, as: UTF8.self), pager: pager) else { continue }
                        cleaned = kept
                    }
                    if !isFirstLine {
                        storage[count] = UInt8(ascii: "\n")
                        count += 1
                    }
                    isFirstLine = false
                    if var cleaned {
                        cleaned.withUTF8 { append($0) }
                    } else {
                        append(line)
                    }
                }
                return count
            }
        }
    }

    /// `body(of:command:pager:)` on Characters: the reading it replaces, kept for text with CR in it and as the
    /// reference the byte reading is tested against.
    static func characterBody(of text: String, command: String, pager: RulePattern?) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let first = lines.first, first.hasSuffix(command) || first.trimmingCharacters(in: .whitespaces).isEmpty {
            lines.removeFirst()
        }
        if !lines.isEmpty { lines.removeLast() }
        if let pager {
            lines = lines.compactMap { pagerCleaned($0, pager: pager) }
        }
        return lines.joined(separator: "\n")
    }

    /// `line` without the pager's match; nil when nothing but whitespace is left of a line that had one.
    private static func pagerCleaned(_ line: String, pager: RulePattern) -> String? {
        guard let match = pager.firstMatch(in: line) else { return line }
        var cleaned = line
        cleaned.removeSubrange(match.range)
        return cleaned.trimmingCharacters(in: .whitespaces).isEmpty ? nil : cleaned
    }
}
