import Foundation
import NetRavenTestSupport
import Testing

@Suite struct PackagingTests {
    /// The systemd units pass `systemd-analyze verify`, with ExecStart pointed at the binary this build produced.
    @Test func systemdUnitsVerify() throws {
        let analyze = "/usr/bin/systemd-analyze"
        try #require(FileManager.default.isExecutableFile(atPath: analyze), "systemd-analyze is missing (package systemd)")
        let directory = try TemporaryDirectory()
        let units = URL(fileURLWithPath: PackagePaths.root).appendingPathComponent("packaging/systemd")
        for name in ["netraven-sweep.service", "netraven-sweep.timer"] {
            let text = try String(contentsOf: units.appendingPathComponent(name), encoding: .utf8)
                .replacingOccurrences(of: "/usr/bin/netraven", with: productsDirectory.appendingPathComponent("netraven").path)
            try directory.write(name, text, mode: 0o644)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: analyze)
        process.arguments = ["verify", directory.path + "/netraven-sweep.service", directory.path + "/netraven-sweep.timer"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // systemd-analyze also reports unrelated units of the host; only lines about ours count.
        let ours = output.split(separator: "\n").filter { $0.contains("netraven") }
        #expect(process.terminationStatus == 0 || ours.isEmpty, "\(output)")
        #expect(ours.isEmpty, "\(ours)")
    }
}
