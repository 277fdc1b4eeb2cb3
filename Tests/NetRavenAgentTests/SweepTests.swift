import Foundation
import Logging
import NetRavenAgent
import NetRavenCore
import NetRavenGit
import NetRavenLab
import Testing

@Suite struct SweepTests {
    /// The issue's end-to-end check: sweep 50 lab devices, change 5, sweep again: exactly 5 new commits, each with the
    /// change as its diff and the sweep trigger in its trailers.
    @Test func fiftyDevicesFiveChangesFiveCommits() async throws {
        var collection = CollectionSettings.tests
        collection.concurrency = 16
        try await withLab(devices: 50, collection: collection) { setup in
            try await withService(setup.configuration) { service in
                let requests = setup.configuration.devices.map { CaptureRequest(device: $0, trigger: .sweep) }
                let first = await service.capture(requests)
                #expect(first.filter(\.isChanged).count == 50, "\(first.filter { !$0.isChanged }.map { "\($0.device): \($0.outcome)" })")
                let headAfterFirst = try #require(try await service.archive.head())

                let changed = ["r3", "r12", "r25", "r38", "r50"]
                for (index, name) in changed.enumerated() {
                    setup.device(name).applyChange(
                        LabConfigChange(user: "eng\(index)", add: ["snmp-server location rack-\(index)-\(name)"]))
                }
                let second = await service.capture(requests)
                #expect(second.filter(\.failed).isEmpty, "\(second.filter(\.failed).map { "\($0.device): \($0.outcome)" })")
                #expect(Set(second.filter(\.isChanged).map(\.device)) == Set(changed))
                #expect(second.filter(\.isUnchanged).count == 45)

                for (index, name) in changed.enumerated() {
                    let history = try await service.archive.history(path: "lab/\(name).cfg")
                    #expect(history.count == 2, "\(name) has \(history.count) versions")
                    let newest = try #require(history.first)
                    #expect(newest.trailer("Trigger") == "sweep")
                    #expect(newest.trailer("Device") == name)
                    #expect(newest.parentIDs.count == 1)
                    let diff = try await service.archive.diff(path: "lab/\(name).cfg", from: history[1].id, to: newest.id)
                    let added = diff.split(separator: "\n").filter { $0.hasPrefix("+") && !$0.hasPrefix("+++") }
                    #expect(added.count == 1 && added[0].contains("rack-\(index)-\(name)"), "\(name): \(diff)")
                    #expect(!diff.split(separator: "\n").contains { $0.hasPrefix("-") && !$0.hasPrefix("---") })
                }
                // Exactly five commits on top of the first sweep's, counted by git itself.
                let count = try git(["--git-dir", service.layout.repositoryPath, "rev-list", "--count", "\(headAfterFirst.id)..HEAD"])
                #expect(count.trimmingCharacters(in: .whitespacesAndNewlines) == "5")
            }
        }
    }

    /// A dry run collects and compares but commits nothing.
    @Test func dryRunCommitsNothing() async throws {
        try await withLab(devices: 2) { setup in
            try await withService(setup.configuration) { service in
                let requests = setup.configuration.devices.map { CaptureRequest(device: $0, trigger: .sweep) }
                let results = await service.capture(requests, dryRun: true)
                let allChanged = results.allSatisfy { $0.isChanged }
                #expect(allChanged)
                let head = try await service.archive.head()
                #expect(head == nil)
            }
        }
    }
}

/// Runs the git CLI and returns its standard output.
func git(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
