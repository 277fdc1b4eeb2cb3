import ArgumentParser
import Foundation

/// Writes a `git fast-import` stream of a large archive to stdout: first one commit per device adding its file,
/// then changes to pseudo-random devices, with every `hot-every`-th change to the hot device (`site00/dev00000.cfg`)
/// and none to the cold one (`site00/dev00001.cfg`, changed only by the second commit: the deepest history).
/// Paths follow the default template `{group}/{name}.cfg`, 100 devices per group.
struct ArchiveGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive-generate", abstract: "Print a git fast-import stream of a synthetic archive.")

    @Option(help: "Device files.") var devices = 10_000
    @Option(help: "Commits in all (the first `devices` of them add the files).") var commits = 100_000
    @Option(help: "Every Nth change goes to the hot device.") var hotEvery = 100
    @Option(help: "Configuration lines per file.") var lines = 60

    func validate() throws {
        guard devices >= 2, commits >= devices, hotEvery >= 1, lines >= 1 else {
            throw ValidationError("need devices >= 2, commits >= devices, hot-every >= 1, lines >= 1")
        }
    }

    static func path(ofDevice index: Int) -> String {
        String(format: "site%02d/dev%05d.cfg", index / 100, index)
    }

    func run() throws {
        var output = Data()
        output.reserveCapacity(8 << 20)
        let stdout = FileHandle.standardOutput
        var revisions = [Int](repeating: 0, count: devices)
        var random: UInt64 = 0x9E37_79B9_7F4A_7C15
        let start = 1_700_000_000
        for number in 0..<commits {
            let device: Int
            if number < devices {
                device = number
            } else if (number - devices) % hotEvery == hotEvery - 1 {
                device = 0
            } else {
                random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                device = 2 + Int((random >> 33) % UInt64(devices - 2))
            }
            revisions[device] += 1
            let name = String(format: "dev%05d", device)
            let message = "\(name): configuration changed\n\nTrigger: syslog\nJob-Id: gen-\(number)\n"
            let contents = config(name: name, revision: revisions[device])
            var text = "commit refs/heads/main\n"
            text += "committer NetRaven <netraven@localhost> \(start + number) +0000\n"
            text += "data \(message.utf8.count)\n\(message)\n"
            text += "M 100644 inline \(Self.path(ofDevice: device))\ndata \(contents.utf8.count)\n\(contents)\n"
            output.append(contentsOf: text.utf8)
            if output.count > 4 << 20 {
                stdout.write(output)
                output.removeAll(keepingCapacity: true)
            }
        }
        stdout.write(output)
    }

    /// A device configuration of `lines` lines; the revision shows in a description and an ACL line, like a change.
    private func config(name: String, revision: Int) -> String {
        var text = "!\nhostname \(name)\n! revision \(revision)\n"
        for line in 0..<lines {
            switch line % 4 {
            case 0: text += "interface GigabitEthernet0/\(line)\n"
            case 1: text += " description uplink \(line) of \(name)\n"
            case 2: text += " ip address 10.\(line).\(revision % 250).1 255.255.255.0\n"
            default: text += "!\n"
            }
        }
        return text + "end\n"
    }
}
