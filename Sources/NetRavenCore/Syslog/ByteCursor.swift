/// A read position in a message's bytes; every step moves forward, so parsing one message is linear in its length.
struct ByteCursor {
    let bytes: [UInt8]
    var index: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.index = 0
    }

    var atEnd: Bool { index >= bytes.count }

    func peek(_ offset: Int = 0) -> UInt8? {
        let position = index + offset
        return position < bytes.count ? bytes[position] : nil
    }

    mutating func next() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    /// Consumes `byte` when it is next.
    mutating func take(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        index += 1
        return true
    }

    var rest: ArraySlice<UInt8> { bytes[min(index, bytes.count)...] }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    /// Up to `maxDigits` decimal digits: their value and how many there were (0: none, nothing consumed).
    mutating func number(maxDigits: Int) -> (value: Int, digits: Int)? {
        var value = 0
        var count = 0
        while count < maxDigits, let byte = peek(), Self.isDigit(byte) {
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            count += 1
            index += 1
        }
        return (value, count)
    }

    /// Exactly `count` digits, or nil with nothing consumed.
    mutating func digits(_ count: Int) -> Int? {
        let start = index
        guard let (value, found) = number(maxDigits: count), found == count else {
            index = start
            return nil
        }
        return value
    }

    mutating func skipSpaces() {
        while peek() == 0x20 { index += 1 }
    }

    /// The bytes up to the next space (not consumed), or nil at the end.
    mutating func token() -> String? {
        skipSpaces()
        guard !atEnd else { return nil }
        return word(stoppingAt: [0x20])
    }

    /// The bytes up to (not including) any of `stops` or the end; nil when that is nothing.
    mutating func word(stoppingAt stops: [UInt8]) -> String? {
        let start = index
        while let byte = peek(), !stops.contains(byte) { index += 1 }
        guard index > start else { return nil }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// The length of an RFC 5424 `VERSION SP` at the cursor (`1 `), or nil.
    func peekVersion() -> Int? {
        var offset = 0
        while offset < 3, let byte = peek(offset), Self.isDigit(byte) { offset += 1 }
        guard offset > 0, peek() != UInt8(ascii: "0"), peek(offset) == 0x20 else { return nil }
        // `<189>1 2024-...`: a version, unlike a sequence number, is followed by a timestamp or `-`.
        guard let next = peek(offset + 1), next == UInt8(ascii: "-") || Self.isDigit(next) else { return nil }
        if next == UInt8(ascii: "-") { return offset + 1 }
        // Four digits then `-`: an ISO date.
        for digit in 1...4 { guard let byte = peek(offset + digit), Self.isDigit(byte) else { return nil } }
        return peek(offset + 5) == UInt8(ascii: "-") ? offset + 1 : nil
    }
}
