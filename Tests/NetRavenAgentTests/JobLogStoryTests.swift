import Foundation
import Logging
import NetRavenAgent
import NetRavenCore
import NetRavenJournal
import NetRavenLab
import NetRavenMetrics
import NetRavenTestSupport
import Testing

/// A real capture (lab device over SSH, Git archive, journal) logged through NetRaven's handler into a log file:
/// the job's whole story is found by its id, every line of it names the job and the device, and the metrics moved.
@Suite struct JobLogStoryTests {
    @Test func everyLineOfAJobCarriesItsIdAndDeviceAndTellsTheLifecycle() async throws {
        let directory = try TemporaryDirectory(prefix: "netraven-story")
        let settings = LogSettings(level: .info, file: directory.path + "/netraven.log")
        let writer = try LogWriter(output: nil, settings: settings)
        let logger = Logger(label: "netraven") { JSONLogHandler(label: $0, settings: settings, writer: writer) }
        let before = try PrometheusText(MetricsRegistry.shared.exposition())

        let (jobID, runningCommand) = try await withLab(devices: 1, platforms: [.ciscoIOS]) { setup in
            let service = try CaptureService(configuration: setup.configuration, logger: logger)
            do {
                let result = try await captureTwice(setup, service: service, logger: logger)
                await service.shutdown()
                return result
            } catch {
                await service.shutdown()
                throw error
            }
        }
        #expect(writer.flush())
        try checkStory(path: settings.file ?? "", jobID: jobID, runningCommand: runningCommand, before: before)
    }

    /// A first capture (sweep), then a change on the device and its syslog event: returns the event's job id.
    func captureTwice(
        _ setup: LabSetup, service: CaptureService, logger: Logger
    ) async throws -> (String, String) {
        let journal = try await EventJournal.open(path: service.layout.journal)
        let coordinator = CaptureCoordinator(
            service: service, journal: journal, settings: CaptureCoordinatorTests.debounce, logger: logger)
        _ = await coordinator.request(device: "r1", trigger: .sweep)
        await coordinator.waitUntilIdle()
        setup.device("r1").applyChange(LabConfigChange(user: "dora", source: "10.7.7.7", add: ["ntp server 10.7.7.8"]))
        try await coordinator.submit(
            CaptureCoordinatorTests.event("ev-story", "r1", kind: .syslog, user: "dora", source: "10.7.7.7"),
            peer: "127.0.0.1", transport: "udp")
        await coordinator.waitUntilIdle()
        await coordinator.drain()
        let job = try #require(
            try await journal.jobs(device: "r1", state: nil, limit: 10).first { $0.eventIDs == ["ev-story"] })
        #expect(job.state == .committed)
        let platform = try #require(setup.configuration.rules.platforms[setup.configuration.devices[0].platform])
        return (job.id, platform.runningCommand)
    }

    func checkStory(path: String, jobID: String, runningCommand: String, before: PrometheusText) throws {
        let lines = try jsonLogLines(path)
        let story = lines.filter { $0["job"] == jobID }
        #expect(story.allSatisfy { $0["device"] == "r1" })
        let messages = story.map { $0["message"] ?? "" }
        for step in [
            "debounced: capture job queued", "capture started", "connecting", "connected", "authenticated",
            "command sent", "disconnected", "configuration changed, committed",
        ] {
            #expect(messages.contains(step), "the story of \(jobID) lacks '\(step)': \(messages)")
        }
        #expect(story.contains { $0["message"] == "command sent" && $0["command"] == runningCommand })
        #expect(story.first { $0["message"] == "debounced: capture job queued" }?["events"] == "ev-story")
        // SSH lines are the module's own (their level is set per module) and none is without a job.
        let sshLines = lines.filter { $0["label"] == "netraven.ssh" }
        #expect(!sshLines.isEmpty)
        #expect(sshLines.allSatisfy { $0["job"] != nil && $0["device"] == "r1" }, "\(sshLines)")
        // Two jobs ran (the first capture, then the event's): each has its own story.
        #expect(Set(lines.compactMap { $0["job"] }).count == 2)

        // The same run, seen by Prometheus.
        let after = try PrometheusText(MetricsRegistry.shared.exposition())
        func grew(_ name: String, _ labels: [String: String] = [:]) -> Double {
            (after.value(name, labels) ?? 0) - (before.value(name, labels) ?? 0)
        }
        #expect(grew("netraven_captures_total", ["result": "committed", "class": "none"]) >= 2)
        #expect(grew("netraven_events_accepted_total") >= 1)
        #expect(grew("netraven_event_to_commit_seconds_count") >= 1)
        #expect(after.families["netraven_capture_queue"]?.type == "gauge")
    }
}
