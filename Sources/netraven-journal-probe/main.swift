// Records events into a journal in a loop and prints each id once `record` has returned, for the crash-durability
// test, which kills this process with SIGKILL mid-stream and checks that every printed id is in the journal.
// Usage: netraven-journal-probe JOURNAL_PATH COUNT [WRITERS]
import Foundation
import NetRavenCore
import NetRavenJournal

let arguments = CommandLine.arguments
guard arguments.count >= 3, let count = Int(arguments[2]), count > 0 else {
    FileHandle.standardError.write(Data("usage: netraven-journal-probe JOURNAL_PATH COUNT [WRITERS]\n".utf8))
    exit(2)
}
let writers = arguments.count > 3 ? max(Int(arguments[3]) ?? 1, 1) : 1

do {
    let journal = try EventJournal(path: arguments[1])
    FileHandle.standardOutput.write(Data("ready\n".utf8))
    // Several writers at once, as listeners on several sockets would record; each id is printed only after its
    // own `record` returned, with one unbuffered write per line so a kill never leaves a half-printed id behind.
    await withThrowingTaskGroup(of: Void.self) { group in
        for writer in 0..<writers {
            group.addTask {
                for index in stride(from: writer, to: count, by: writers) {
                    let event = ChangeEvent(
                        id: "probe-\(index)", kind: .syslog, device: "r\(index % 7)", user: "probe", source: "vty0",
                        time: Date(), raw: "<189>probe line \(index)", change: .committed, rule: "probe.rule")
                    try await journal.record(event, peer: "127.0.0.1:514", transport: "udp")
                    FileHandle.standardOutput.write(Data("recorded probe-\(index)\n".utf8))
                }
            }
        }
        do {
            try await group.waitForAll()
        } catch {
            FileHandle.standardError.write(Data("netraven-journal-probe: \(error)\n".utf8))
            exit(1)
        }
    }
} catch {
    FileHandle.standardError.write(Data("netraven-journal-probe: \(error)\n".utf8))
    exit(1)
}
