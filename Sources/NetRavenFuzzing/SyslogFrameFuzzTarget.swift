import NIOCore
import NIOEmbedded
import NetRavenSyslog

/// Feeds a byte stream to `SyslogFrameDecoder` once whole and once cut into chunks the input chooses, then closes it.
///
/// Input: byte 0 sets the maximum message size (1...256, small so the oversize paths are reached), byte 1 seeds the
/// chunk sizes, the rest is the stream. Invariants: both cuts give the same frames (the decoder's promise); every
/// message is non-empty, within the maximum, without a trailing CR/LF/NUL, and messages never hold more bytes than
/// the stream did.
enum SyslogFrameFuzzTarget {
    static func run(_ input: [UInt8]) -> [String] {
        guard input.count >= 2 else { return [] }
        let maxMessageBytes = Int(input[0]) + 1
        let stream = Array(input[2...])
        var problems: [String] = []
        let whole = frames(of: stream, cuts: [stream.count], maxMessageBytes: maxMessageBytes, problems: &problems)
        let chunked = frames(
            of: stream, cuts: cuts(count: stream.count, seed: input[1]), maxMessageBytes: maxMessageBytes,
            problems: &problems)
        if whole != chunked {
            problems.append("frames differ by cut: whole \(describe(whole)), chunked \(describe(chunked))")
        }
        var total = 0
        for frame in whole {
            guard case .message(let message) = frame else { continue }
            total += message.readableBytes
            if message.readableBytes == 0 { problems.append("empty message") }
            if message.readableBytes > maxMessageBytes {
                problems.append("message of \(message.readableBytes) bytes over the maximum \(maxMessageBytes)")
            }
            if let last = message.readableBytesView.last, [0x0A, 0x0D, 0x00].contains(last) {
                problems.append("message ends with byte \(last)")
            }
        }
        if total > stream.count { problems.append("messages hold \(total) bytes, the stream \(stream.count)") }
        return problems
    }

    /// Chunk sizes from a seed: 1, 2, 3 ... bytes cycling, so byte-at-a-time is among them (seed 0).
    static func cuts(count: Int, seed: UInt8) -> [Int] {
        var cuts: [Int] = []
        var remaining = count
        var size = 1
        var state = UInt32(seed)
        while remaining > 0 {
            let take = min(remaining, seed == 0 ? 1 : size)
            cuts.append(take)
            remaining -= take
            state = state &* 1_103_515_245 &+ 12_345
            size = Int(state >> 16) % 17 + 1
        }
        return cuts
    }

    /// The frames a fresh decoder yields for `stream` delivered in pieces of `cuts`, followed by a clean close
    /// (input closed, so a final unterminated line is still a message).
    static func frames(
        of stream: [UInt8], cuts: [Int], maxMessageBytes: Int, problems: inout [String]
    ) -> [SyslogFrame] {
        let channel = EmbeddedChannel(
            handler: ByteToMessageHandler(SyslogFrameDecoder(maxMessageBytes: maxMessageBytes)))
        var result: [SyslogFrame] = []
        func drain() {
            while let frame = try? channel.readInbound(as: SyslogFrame.self) { result.append(frame) }
        }
        var offset = 0
        do {
            for cut in cuts {
                var buffer = channel.allocator.buffer(capacity: cut)
                buffer.writeBytes(stream[offset..<offset + cut])
                offset += cut
                try channel.writeInbound(buffer)
                drain()
            }
            channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
            drain()
            _ = try channel.finish()
            drain()
        } catch {
            problems.append("decoder threw \(error)")
        }
        return result
    }

    static func describe(_ frames: [SyslogFrame]) -> String {
        let parts = frames.map { frame -> String in
            switch frame {
            case .message(let message): "message(\(message.readableBytes))"
            case .oversized: "oversized"
            case .malformed: "malformed"
            }
        }
        return "[" + parts.joined(separator: ", ") + "]"
    }
}
