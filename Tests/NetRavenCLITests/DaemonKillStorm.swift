import Foundation
import NetRavenJournal
import NetRavenLab
import Testing

/// The SIGKILL-during-a-storm scenario, shared by the short test in `make test` and the longer one in `make soak`.
struct DaemonKillStorm {
    /// What the storm did and where every accepted event ended.
    struct Outcome {
        var linesSent = 0
        var kills = 0
        /// Event ids the journal held right after each kill (all must survive to the end).
        var acceptedBeforeRestarts: Set<String> = []
        var missingAfterRestart: Set<String> = []
        var account = EventAccounting()
        var finalLog = ""
    }

    var devices = 4
    /// Syslog change lines per daemon life; the daemon is killed in the middle of each.
    var linesPerRound = 2000
    var kills = 1
    /// A real configuration change in the lab every this many lines (the others are CONFIG_I without a change,
    /// which real devices send too).
    var changeEvery = 50

    func run(_ tests: DaemonTests) async throws -> Outcome {
        var outcome = Outcome()
        try await tests.withLab(devices: devices) { lab, endpoints, directory in
            let config = try tests.writeDaemonConfiguration(in: directory, endpoints: endpoints)
            let journalPath = directory.path + "/state/journal.sqlite"
            var n = 0
            for round in 0..<kills {
                let daemon = try DaemonProcess(config: config, logPath: directory.path + "/daemon-\(round).log")
                #expect(daemon.waitUntilReady(), "\(daemon.log)")
                let sender = try SyslogTCPSender(port: try #require(daemon.ports.syslogTCP))
                let before = outcome.acceptedBeforeRestarts.count
                for line in 0..<linesPerRound {
                    let device = endpoints.devices[n % endpoints.devices.count]
                    if n % changeEvery == 0 {
                        lab.device(named: device.name)?.applyChange(
                            LabConfigChange(user: "u\(n)", add: ["ntp server 10.9.\(n / 250 % 250).\(n % 250)"]))
                    }
                    guard sender.send(DaemonTests.changeLine(device, user: "u\(n)", n: n)) else { break }
                    outcome.linesSent += 1
                    n += 1
                    if line == linesPerRound / 6 {
                        // Mid-storm: once the daemon has journaled some of it (and is capturing), kill it.
                        _ = try await tests.waitForJournal(journalPath) { journal in
                            try await journal.events(device: nil, limit: before + 50).count >= before + 50
                        }
                    }
                    if line == linesPerRound / 3 {
                        daemon.kill9()
                        outcome.kills += 1
                    }
                }
                let accepted = try await EventJournal.open(path: journalPath).events(device: nil, limit: 10_000_000)
                #expect(accepted.count > before, "round \(round): the daemon accepted nothing new:\n\(daemon.log)")
                outcome.acceptedBeforeRestarts.formUnion(accepted.map(\.event.id))
            }

            // Restarted, it finishes what the journal holds: every accepted event ends in a finished job.
            let last = try DaemonProcess(config: config, logPath: directory.path + "/final.log")
            #expect(last.waitUntilReady(), "\(last.log)")
            let settled = try await tests.waitForJournal(journalPath) { journal in
                let events = try await journal.events(device: nil, limit: 10_000_000)
                let jobs = Dictionary(
                    uniqueKeysWithValues: try await journal.jobs(device: nil, state: nil, limit: 10_000_000)
                        .map { ($0.id, $0) })
                return events.allSatisfy { event in event.jobIDs.contains { jobs[$0]?.state.isFinished == true } }
            }
            #expect(settled, "events still unfinished after the restart:\n\(last.log)")
            #expect(try await EventJournal.open(path: journalPath).unfinishedWork().isEmpty)
            let journaled = Set(
                try await EventJournal.open(path: journalPath).events(device: nil, limit: 10_000_000).map(\.event.id))
            outcome.missingAfterRestart = outcome.acceptedBeforeRestarts.subtracting(journaled)
            outcome.account = try await EventAccounting.take(
                journalPath: journalPath, archive: directory.path + "/state/archive.git")
            outcome.finalLog = last.log
            #expect(last.signal(SIGTERM, waitForExit: true) == 0, "\(last.log)")
        }
        return outcome
    }
}
