/// Turns raw bytes from an interactive shell into the text a person would see on the screen.
///
/// Devices draw on a terminal: `\r` returns the cursor, backspace moves it left and the next characters overwrite,
/// ANSI sequences color or erase. Pagers rely on that to erase `--More--`. Emulating the cursor per line removes that
/// debris without vendor-specific rules.
public enum TerminalText {
    /// The visible text of `bytes`, lines separated by `\n`, trailing spaces removed from each line.
    public static func render(_ bytes: some Sequence<UInt8>) -> String {
        // Nearly all of a configuration is plain lines: copy those instead of emulating the cursor byte by byte.
        if let plain = bytes.withContiguousStorageIfAvailable(plainText), let plain { return plain }
        return emulate(bytes)
    }

    /// `render` for bytes that are printable ASCII, LF and CR LF only (nothing moves the cursor back), else nil.
    static func plainText(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var lineStart = 0
        var index = 0
        var lines = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x20 && byte < 0x7F {
                index += 1
            } else if byte == 0x0A || (byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A) {
                if lines > 0 { output.append(0x0A) }
                var last = index
                while last > lineStart, bytes[last - 1] == 0x20 { last -= 1 }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[lineStart..<last]))
                lines += 1
                index += byte == 0x0A ? 1 : 2
                lineStart = index
            } else {
                return nil
            }
        }
        if lineStart < bytes.count {
            // A last line without a newline (a prompt) counts, as in `emulate`, even when it is only spaces.
            if lines > 0 { output.append(0x0A) }
            var last = bytes.count
            while last > lineStart, bytes[last - 1] == 0x20 { last -= 1 }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[lineStart..<last]))
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The terminal emulation: cursor, overwrites, backspaces, tabs, ANSI sequences, UTF-8.
    static func emulate(_ bytes: some Sequence<UInt8>) -> String {
        var lines: [String] = []
        var line: [Unicode.Scalar] = []
        var cursor = 0
        var state = EscapeState.text
        var utf8 = UTF8Decoder()

        func put(_ scalar: Unicode.Scalar) {
            if cursor < line.count {
                line[cursor] = scalar
            } else {
                while line.count < cursor { line.append(" ") }
                line.append(scalar)
            }
            cursor += 1
        }
        func endLine() {
            lines.append(String(String.UnicodeScalarView(line)).trimmingTrailingSpaces())
            line.removeAll(keepingCapacity: true)
            cursor = 0
        }

        for byte in bytes {
            switch state {
            case .escape:
                // ESC [ = CSI, ESC ] = OSC; any other ESC x is a two-byte sequence.
                state = byte == 0x5B ? .csi : byte == 0x5D ? .osc : .text
                continue
            case .csi:
                if (0x40...0x7E).contains(byte) {
                    if byte == 0x4B { line.removeSubrange(min(cursor, line.count)...) }  // ESC[K: erase to end of line
                    if byte == 0x44 { cursor = max(cursor - 1, 0) }  // ESC[D: cursor left
                    state = .text
                }
                continue
            case .osc:
                if byte == 0x07 { state = .text }  // BEL ends an OSC (title setting)
                if byte == 0x1B { state = .escape }
                continue
            case .text:
                break
            }
            switch byte {
            case 0x1B: state = .escape
            case 0x0A: endLine()
            case 0x0D: cursor = 0
            case 0x08: cursor = max(cursor - 1, 0)
            case 0x09:
                repeat { put(" ") } while cursor % 8 != 0
            case 0x00..<0x20, 0x7F: continue  // other control characters (BEL, NUL) have no glyph
            default:
                if let scalar = utf8.feed(byte) { put(scalar) }
            }
        }
        if !line.isEmpty { endLine() }
        return lines.joined(separator: "\n")
    }

    private enum EscapeState { case text, escape, csi, osc }
}

/// A byte-at-a-time UTF-8 decoder that yields U+FFFD for malformed input instead of failing.
struct UTF8Decoder {
    private var pending: [UInt8] = []
    private var needed = 0

    mutating func feed(_ byte: UInt8) -> Unicode.Scalar? {
        if pending.isEmpty {
            switch byte {
            case 0x00..<0x80: return Unicode.Scalar(byte)
            case 0xC2..<0xE0: needed = 2
            case 0xE0..<0xF0: needed = 3
            case 0xF0..<0xF5: needed = 4
            default: return "\u{FFFD}"
            }
            pending = [byte]
            return nil
        }
        guard byte & 0xC0 == 0x80 else {
            pending = []
            return feed(byte) ?? "\u{FFFD}"
        }
        pending.append(byte)
        guard pending.count == needed else { return nil }
        defer { pending = [] }
        return String(decoding: pending, as: UTF8.self).unicodeScalars.first
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var view = Substring(self)
        while let last = view.last, last == " " || last == "\t" { view = view.dropLast() }
        return String(view)
    }
}
