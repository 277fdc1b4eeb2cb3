public import ArgumentParser
import Foundation

/// `netraven-lab`: serves simulated network devices over SSH until SIGINT / SIGTERM.
public struct LabCommand: AsyncParsableCommand {
    /// Command name and help.
    public static let configuration = CommandConfiguration(
        commandName: "netraven-lab",
        abstract: "Serve simulated network devices (IOS, NX-OS, EOS, Junos) over SSH, with an HTTP control API.",
        discussion: """
            Prints one JSON line with the ports on stdout once listening, then logs to stderr.
            See docs/lab.md for the control API and the emulated behaviour.
            """)

    @Option(help: "Number of devices.")
    var devices: Int = 4

    @Option(help: "Comma-separated platforms, assigned round robin (cisco_ios,cisco_nxos,arista_eos,juniper_junos).")
    var platforms: String = LabPlatform.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "Hostname prefix: devices are PREFIX1..PREFIXN.")
    var namePrefix: String = "r"

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "First device port (device i gets base+i-1); 0 picks free ports.")
    var basePort: Int = 0

    @Option(help: "Control API port; 0 picks a free one, -1 disables it.")
    var controlPort: Int = 0

    @Option(help: "Approximate size of each generated running config (e.g. 4KB, 200KB, 20MB, or bytes).")
    var configSize: String = "4KB"

    @Option(help: "Directory of DIR/<hostname>.cfg files used as initial running configs.")
    var configsDir: String?

    @Option(help: "Directory where host keys are kept, so restarts keep them.")
    var stateDir: String?

    @Option(help: "Login user name.")
    var username: String = "admin"

    @Option(help: "Login password.")
    var password: String = "admin"

    @Option(help: "Enable password.")
    var enablePassword: String = "enable"

    @Option(help: "Write a NetRaven inventory YAML for the lab's devices here.")
    var inventoryOut: String?

    @Option(help: "Write a NetRaven credentials YAML (mode 0600) here.")
    var credentialsOut: String?

    @Option(help: "Event loop threads (0 = one per core).")
    var threads: Int = 0

    @Option(help: "Give device i its own address BASE+i-1 (e.g. 127.0.10.1): SSH listens there, syslog/traps come from it.")
    var addressPerDevice: String?

    @Option(help: "Send each device's configuration-change syslog messages to HOST:PORT[/udp|/tcp] (tcp: octet counting).")
    var syslogTarget: String?

    @Option(help: "Send each device's configuration-change SNMPv2c traps to HOST:PORT (UDP).")
    var trapTarget: String?

    @Option(help: "Community of the traps.")
    var trapCommunity: String = "public"

    @Option(help: "What devices send by default: syslog,trap (default both), syslog, trap or none.")
    var notify: String = "syslog,trap"

    /// Creates the command with default options (ArgumentParser fills them in).
    public init() {}

    /// Parses "200KB" / "20MB" / "4096" into bytes (KB = 1024 bytes).
    static func parseSize(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Int)] = [("KIB", 1024), ("MIB", 1 << 20), ("KB", 1024), ("MB", 1 << 20), ("K", 1024),
            ("M", 1 << 20), ("B", 1)]
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            guard let n = Double(t.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), n >= 0 else {
                return nil
            }
            return Int(n * Double(factor))
        }
        return Int(t)
    }

    func parsedPlatforms() throws -> [LabPlatform] {
        try platforms.split(separator: ",").map {
            let name = $0.trimmingCharacters(in: .whitespaces)
            guard let p = LabPlatform(rawValue: name) else {
                throw ValidationError(
                    "unknown platform '\(name)'; known: \(LabPlatform.allCases.map(\.rawValue).joined(separator: ","))")
            }
            return p
        }
    }

    /// Checks the options before anything starts.
    public func validate() throws {
        guard devices >= 1 else { throw ValidationError("--devices must be at least 1") }
        guard Self.parseSize(configSize) != nil else { throw ValidationError("--config-size: cannot read '\(configSize)'") }
        guard try !parsedPlatforms().isEmpty else { throw ValidationError("--platforms is empty") }
        guard (0...65_535).contains(basePort), basePort == 0 || basePort + devices - 1 <= 65_535 else {
            throw ValidationError("--base-port out of range for \(devices) devices")
        }
        do {
            _ = try notifyOptions()
            _ = try LabConfiguration(devices: devices, addressPerDevice: addressPerDevice).address(ofDevice: devices)
        } catch let error as LabError {
            throw ValidationError(error.message)
        }
    }

    /// The targets and default notify settings from the options.
    func notifyOptions() throws -> (syslog: LabNotifyTarget?, trap: LabNotifyTarget?, notify: LabNotifySettings) {
        let syslog = try syslogTarget.map { try LabNotifyTarget(parsing: $0, option: "--syslog-target") }
        let trap = try trapTarget.map { try LabNotifyTarget(parsing: $0, option: "--trap-target", allowTCP: false) }
        return (syslog, trap, try LabNotifySettings(parsing: notify))
    }

    /// Starts the lab, prints the ports, writes inventory/credentials, and serves until a signal arrives.
    public func run() async throws {
        let targets = try notifyOptions()
        let configuration = LabConfiguration(
            devices: devices, platforms: try parsedPlatforms(), namePrefix: namePrefix, host: host,
            basePort: basePort, controlPort: controlPort < 0 ? nil : controlPort,
            configSize: Self.parseSize(configSize) ?? 4096, configsDirectory: configsDir, stateDirectory: stateDir,
            username: username, password: password, enablePassword: enablePassword, threads: threads,
            addressPerDevice: addressPerDevice, syslogTarget: targets.syslog, trapTarget: targets.trap,
            trapCommunity: trapCommunity, notify: targets.notify)
        let lab = try Lab(configuration: configuration)
        let endpoints = try await lab.start()
        if let inventoryOut {
            try LabFiles.inventory(endpoints, host: host).write(toFile: inventoryOut, atomically: true, encoding: .utf8)
        }
        if let credentialsOut {
            try LabFiles.writeCredentials(
                to: credentialsOut, username: username, password: password, enable: enablePassword)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        FileHandle.standardOutput.write(try encoder.encode(endpoints) + Data("\n".utf8))
        let listen = addressPerDevice.map { "their own addresses from \($0)" } ?? host
        log("netraven-lab: \(endpoints.devices.count) devices listening on \(listen); control API port "
            + (endpoints.control.map(String.init) ?? "disabled"))
        lab.onChange { event in
            log("netraven-lab: \(event.device) changed by \(event.user)"
                + (event.source.map { " from \($0)" } ?? "") + " (change \(event.changeCount))")
        }
        if let syslog = targets.syslog { log("netraven-lab: syslog to \(syslog)") }
        if let trap = targets.trap { log("netraven-lab: traps to \(trap) (community set)") }
        let signal = await LabSignals.wait()
        log("netraven-lab: \(signal), shutting down")
        try await lab.shutdown()
    }
}

func log(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

extension LabCommand {
    /// The executable's entry point: parses the command line, runs, exits with ArgumentParser's status.
    public static func runFromCommandLine() async {
        await main()
    }
}
