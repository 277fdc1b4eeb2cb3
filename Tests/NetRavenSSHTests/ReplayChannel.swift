import Foundation
import NetRavenCore
import NetRavenSSH

/// Replays a recorded session: checks that the conversation types exactly what was recorded, in order, and hands back
/// what the device printed in small chunks so that prompt and pager detection meet arbitrary chunk boundaries.
///
/// It replays; it does not emulate a device. Confined to the test's thread, like any `CLIChannel`.
final class ReplayChannel: CLIChannel {
    /// The conversation did something the recording did not.
    struct Mismatch: Error, CustomStringConvertible {
        var description: String
    }

    private let fixture: PlatformFixture
    private let chunkSize: Int
    /// The next exchange whose input the conversation must write.
    private var next: Int
    private var unread: ArraySlice<UInt8>

    init(_ fixture: PlatformFixture, chunkSize: Int = 7) {
        self.fixture = fixture
        self.chunkSize = chunkSize
        if let first = fixture.session.first, first.input == .none {
            unread = first.output[...]
            next = 1
        } else {
            unread = []
            next = 0
        }
    }

    /// Exchanges the conversation never reached, described for a failure message; nil when all were replayed.
    var leftover: String? {
        if next < fixture.session.count {
            let exchange = fixture.session[next]
            return "the recording continues at \(exchange.location) with \(Self.show(exchange.input.written ?? ""))"
                + " but the conversation stopped (\(fixture.session.count - next) exchange(s) not replayed)"
        }
        if !unread.isEmpty {
            return "\(unread.count) bytes of the last output were never read: \(Self.show(unread))"
        }
        return nil
    }

    func write(_ text: String) throws {
        guard next < fixture.session.count else {
            throw Mismatch(description: "the conversation wrote \(Self.show(text)) after the recording ended")
        }
        let exchange = fixture.session[next]
        // A key may be typed while the pager prompt is still arriving (the device already sent it), and so may a
        // command while the prompt's trailing space is; anything more means the conversation took something for the
        // prompt too early.
        if case .command = exchange.input, unread.contains(where: { $0 != 0x20 }) {
            throw Mismatch(
                description: "the conversation wrote \(Self.show(text)) while \(unread.count) bytes of output were "
                    + "still unread (it took something for the prompt too early); unread: \(Self.show(unread))")
        }
        guard text == exchange.input.written else {
            throw Mismatch(
                description: "\(exchange.location): the recording expects \(Self.show(exchange.input.written ?? ""))"
                    + " but the conversation wrote \(Self.show(text))")
        }
        next += 1
        unread = (Array(unread) + exchange.output)[...]
    }

    func read(timeout: Duration) throws -> [UInt8] {
        guard !unread.isEmpty else {
            // Nothing more will arrive; block briefly as a real channel would, so a waiting conversation does not
            // spin while its command timeout runs out.
            Thread.sleep(forTimeInterval: min(timeout.seconds, 0.02))
            return []
        }
        let chunk = unread.prefix(chunkSize)
        unread = unread.dropFirst(chunk.count)
        return Array(chunk)
    }

    static func show(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n") + "'"
    }

    static func show(_ bytes: ArraySlice<UInt8>) -> String {
        show(String(decoding: bytes.prefix(80), as: UTF8.self))
    }
}

