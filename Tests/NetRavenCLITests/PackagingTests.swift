import Foundation
import NetRavenTestSupport
import Testing

@Suite struct PackagingTests {
    /// The systemd units pass `systemd-analyze verify`, with ExecStart pointed at the binary this build produced.
    @Test func systemdUnitsVerify() throws {
        let analyze = "/usr/bin/systemd-analyze"
        try #require(FileManager.default.isExecutableFile(atPath: analyze), "systemd-analyze is missing (package systemd)")
        let directory = try TemporaryDirectory()
        let unitDirectory = URL(fileURLWithPath: PackagePaths.root).appendingPathComponent("packaging/systemd")
        let units = ["netraven.service", "netraven-sweep.service", "netraven-sweep.timer"]
        for name in units {
            let text = try String(contentsOf: unitDirectory.appendingPathComponent(name), encoding: .utf8)
                .replacingOccurrences(of: "/usr/bin/netraven", with: productsDirectory.appendingPathComponent("netraven").path)
            try directory.write(name, text, mode: 0o644)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: analyze)
        process.arguments = ["verify"] + units.map { directory.path + "/" + $0 }
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

@Suite struct RsyslogSnippetTests {
    /// The rsyslog forwarding snippet passes rsyslogd's own configuration check (`rsyslogd -N1`).
    @Test func snippetValidates() throws {
        let rsyslogd = "/usr/sbin/rsyslogd"
        try #require(FileManager.default.isExecutableFile(atPath: rsyslogd), "rsyslogd is missing (package rsyslog)")
        let directory = try TemporaryDirectory()
        let snippet = PackagePaths.root + "/packaging/rsyslog/60-netraven.conf"
        try directory.write("rsyslog.conf", "module(load=\"imuxsock\")\n$IncludeConfig \(snippet)\n", mode: 0o644)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: rsyslogd)
        process.arguments = ["-N1", "-f", directory.path + "/rsyslog.conf"]
        let output = Pipe()
        process.standardError = output
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(!text.lowercased().contains("error"), "\(text)")
    }
}
