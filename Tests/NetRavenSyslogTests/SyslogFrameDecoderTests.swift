import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@testable import NetRavenSyslog

/// Framing fed whole, one byte at a time, and many messages per buffer (NIO's verifier does all three).
@Suite struct SyslogFrameDecoderTests {
    static func buffer(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
    static func message(_ text: String) -> SyslogFrame { .message(ByteBuffer(string: text)) }
    static func octets(_ text: String) -> String { "\(text.utf8.count) \(text)" }

    @Test func framesLineAndOctetCountedMessagesHoweverTheStreamIsCut() throws {
        let long = String(repeating: "a", count: 32)
        let pairs: [(ByteBuffer, [SyslogFrame])] = [
            (Self.buffer("<13>plain line\n"), [Self.message("<13>plain line")]),
            (Self.buffer("<13>crlf line\r\n"), [Self.message("<13>crlf line")]),
            (Self.buffer("<13>nul terminated\0"), [Self.message("<13>nul terminated")]),
            (Self.buffer(Self.octets("<13>1 - r1 app - - - counted")), [Self.message("<13>1 - r1 app - - - counted")]),
            // Octet counting carries LFs inside a message; a trailing LF some senders add is dropped.
            (Self.buffer(Self.octets("<13>two\nlines")), [Self.message("<13>two\nlines")]),
            (Self.buffer(Self.octets("<13>with lf\n")), [Self.message("<13>with lf")]),
            // Digits not followed by a space are not a count: an LF-framed line (the parser judges it).
            (Self.buffer("48213: no pri\n"), [Self.message("48213: no pri")]),
            (Self.buffer("\n\r\n\0"), []),
            (Self.buffer("0 "), [.malformed]),
            // Exactly the maximum (32) is fine, also with CRLF; one more is not.
            (Self.buffer(long + "\r\n"), [Self.message(long)]),
            (Self.buffer(long + "b\n"), [.oversized]),
            (Self.buffer(String(repeating: "z", count: 500) + "\n"), [.oversized]),
            (Self.buffer(Self.octets(long)), [Self.message(long)]),
            (Self.buffer(Self.octets(String(repeating: "q", count: 200))), [.oversized]),
        ]
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) {
            SyslogFrameDecoder(maxMessageBytes: 32)
        }
    }

    @Test(arguments: [
        ("12 <13>complete", ["<13>complete"]),
        ("5 <13>a5 <13>b", ["<13>a", "<13>b"]),
        ("1 x\n<13>then a line\n", ["x", "<13>then a line"]),
        ("<13>a line\n9 <13>count", ["<13>a line", "<13>count"]),
        ("1234567890 ten digits is a line\n", ["1234567890 ten digits is a line"]),
    ])
    func octetCountingEdgeCases(input: String, expected: [String]) throws {
        var decoder = SyslogFrameDecoder(maxMessageBytes: 1024)
        var buffer = ByteBuffer(string: input)
        var frames: [SyslogFrame] = []
        while let frame = decoder.next(from: &buffer) { frames.append(frame) }
        #expect(frames == expected.map(Self.message))
        #expect(buffer.readableBytes == 0)
    }

    @Test func aStreamEndingInsideACountIsMalformedAndAnUnterminatedLineIsAMessage() throws {
        let counted = EmbeddedChannel(handler: ByteToMessageHandler(SyslogFrameDecoder()))
        try counted.writeInbound(ByteBuffer(string: "50 <13>cut short"))
        counted.pipeline.fireChannelInactive()
        #expect(try counted.readInbound(as: SyslogFrame.self) == .malformed)
        _ = try? counted.finish()

        let line = EmbeddedChannel(handler: ByteToMessageHandler(SyslogFrameDecoder()))
        try line.writeInbound(ByteBuffer(string: "<13>no newline at the end"))
        line.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(try line.readInbound(as: SyslogFrame.self) == Self.message("<13>no newline at the end"))
        _ = try? line.finish()
    }

    /// Memory stays bounded whatever arrives: what the decoder keeps never exceeds one message plus a count header,
    /// and it never delivers more than the maximum.
    @Test(arguments: ["random", "endless line", "endless digits", "huge counts"])
    func floodsStayBounded(kind: String) throws {
        let maximum = 1024
        var decoder = SyslogFrameDecoder(maxMessageBytes: maximum)
        var generator = SystemRandomNumberGenerator()
        var buffer = ByteBuffer()
        var delivered = 0
        for round in 0..<2000 {
            let chunk: [UInt8]
            switch kind {
            case "random": chunk = (0..<997).map { _ in UInt8.random(in: 0...255, using: &generator) }
            case "endless line": chunk = Array(repeating: UInt8(ascii: "A"), count: 997)
            case "endless digits": chunk = Array(repeating: UInt8(ascii: "7"), count: 997)
            default: chunk = Array("999999999 ".utf8) + Array(repeating: UInt8(round % 256), count: 987)
            }
            buffer.writeBytes(chunk)
            while let frame = decoder.next(from: &buffer) {
                if case .message(let message) = frame {
                    #expect(message.readableBytes <= maximum)
                    delivered += 1
                }
            }
            #expect(buffer.readableBytes <= maximum + 11)
            buffer.discardReadBytes()
        }
        if kind != "random" { #expect(delivered == 0) }
    }
}
