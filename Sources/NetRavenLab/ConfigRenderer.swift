/// Prints what a device prints for its configuration and version commands, volatile lines included.
struct ConfigRenderer {
    let device: LabDevice

    private var snapshot: LabDevice.State { device.state.withLock { $0 } }

    /// `show running-config` (Junos: `show configuration`).
    func runningConfig(now: Double) -> String {
        let s = snapshot
        let changed = LabTime(epochSeconds: s.lastChangeTime)
        let saved = LabTime(epochSeconds: s.lastSaveTime)
        switch device.platform {
        case .ciscoIOS:
            // Real IOS re-estimates `ntp clock-period` continuously, so it differs on every show.
            let body = Self.replacingClockPeriod(in: s.config, with: 17_179_000 + Int.random(in: 0..<1_000))
            let head = "!\n! Last configuration change at \(changed.ios) by \(s.lastChangeUser)\n"
                + "! NVRAM config last updated at \(saved.ios) by \(s.lastChangeUser)\n!\n"
            let size = head.utf8.count + body.utf8.count
            return "Building configuration...\n\nCurrent configuration : \(size) bytes\n" + head + body
        case .ciscoNXOS:
            return "!Command: show running-config\n!Running configuration last done at: \(changed.nxos)\n"
                + "!Time: \(LabTime(epochSeconds: now).nxos)\n\n" + s.config
        case .aristaEOS:
            return eosHeader(command: "show running-config") + s.config
        case .juniperJunos:
            return "## Last commit: \(changed.junos) by \(s.lastChangeUser)\n" + s.config
        }
    }

    /// `show startup-config`.
    func startupConfig(now: Double) -> String {
        let s = snapshot
        let saved = LabTime(epochSeconds: s.lastSaveTime)
        switch device.platform {
        case .ciscoIOS:
            let head = "!\n! Last configuration change at \(LabTime(epochSeconds: s.lastChangeTime).ios) by "
                + "\(s.lastChangeUser)\n! NVRAM config last updated at \(saved.ios) by \(s.lastChangeUser)\n!\n"
            return "Using \(head.utf8.count + s.startupConfig.utf8.count) out of 33554432 bytes\n" + head
                + s.startupConfig
        case .ciscoNXOS:
            return "!Command: show startup-config\n!Time: \(LabTime(epochSeconds: now).nxos)\n"
                + "!Startup config saved at: \(saved.nxos)\n\n" + s.startupConfig
        case .aristaEOS:
            return eosHeader(command: "show startup-config") + s.startupConfig
        case .juniperJunos:
            return s.startupConfig
        }
    }

    /// Junos `show configuration | display set`.
    func displaySet() -> String {
        let s = snapshot
        let lines = JunosNode.parse(s.config).setLines()
        return "## Last commit: \(LabTime(epochSeconds: s.lastChangeTime).junos) by \(s.lastChangeUser)\n"
            + lines.joined(separator: "\n") + "\n"
    }

    private func eosHeader(command: String) -> String {
        "! Command: \(command)\n! device: \(device.name) (DCS-7050SX3-48YC8, EOS-4.28.3M)\n!\n"
            + "! boot system flash:/EOS-4.28.3M.swi\n!\n"
    }

    static func replacingClockPeriod(in config: String, with value: Int) -> String {
        guard let r = config.range(of: "\nntp clock-period ") else { return config }
        let end = config[r.upperBound...].firstIndex(of: "\n") ?? config.endIndex
        return String(config[..<r.upperBound]) + String(value) + String(config[end...])
    }

    /// Drops the header lines a device prints around its configuration, so a captured config can be loaded.
    static func stripVolatile(_ text: String, platform: LabPlatform) -> String {
        let normalized = text.contains("\r\n") ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
        let prefixes: [String]
        switch platform {
        case .ciscoIOS:
            prefixes = ["Building configuration", "Current configuration", "! Last configuration change",
                "! NVRAM config last updated", "Using ", "!"]
        case .ciscoNXOS:
            prefixes = ["!Command:", "!Running configuration last", "!Time:", "!Startup config saved"]
        case .aristaEOS:
            prefixes = ["! Command:", "! device:", "! boot system", "! Startup-config last modified", "!"]
        case .juniperJunos:
            prefixes = ["## Last commit", "## Last changed"]
        }
        var rest = Substring(normalized)
        while !rest.isEmpty {
            let end = rest.firstIndex(of: "\n") ?? rest.endIndex
            let line = rest[..<end]
            let isHeader = line.trimmingSpaces().isEmpty
                || prefixes.contains { p in p == "!" ? line == "!" : line.hasPrefix(p) }
            guard isHeader else { break }
            rest = end < rest.endIndex ? rest[rest.index(after: end)...] : rest[end...]
        }
        var body = String(rest)
        if !body.isEmpty && !body.hasSuffix("\n") { body += "\n" }
        return body
    }

    // MARK: show version

    func showVersion(now: Double) -> String {
        let d = device
        let up = Int(now - d.bootTime)
        let weeks = up / 604_800, days = up % 604_800 / 86_400, hours = up % 86_400 / 3600, mins = up % 3600 / 60
        switch d.platform {
        case .ciscoIOS:
            return """
                Cisco IOS Software, ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 15.9(3)M4, RELEASE SOFTWARE (fc2)
                Technical Support: http://www.cisco.com/techsupport
                Copyright (c) 1986-2021 by Cisco Systems, Inc.
                Compiled Thu 28-Jan-21 09:21 by prod_rel_team

                ROM: IOS-XE ROMMON

                \(d.name) uptime is \(weeks) weeks, \(days) days, \(hours) hours, \(mins) minutes
                Uptime for this control processor is \(weeks) weeks, \(days) days, \(hours) hours, \(mins) minutes
                System returned to ROM by PowerOn
                System image file is "bootflash:isr4300-universalk9.16.09.04.SPA.bin"
                Last reload reason: PowerOn

                cisco ISR4331/K9 (1RU) processor with 1795979K/6147K bytes of memory.
                Processor board ID \(d.serial)
                3 Gigabit Ethernet interfaces
                32768K bytes of non-volatile configuration memory.
                4194304K bytes of physical memory.
                3223551K bytes of flash memory at bootflash:.

                Configuration register is 0x2102

                """
        case .ciscoNXOS:
            return """
                Cisco Nexus Operating System (NX-OS) Software
                TAC support: http://www.cisco.com/tac
                Copyright (C) 2002-2021, Cisco and/or its affiliates.
                All rights reserved.

                Software
                  BIOS: version 05.45
                 NXOS: version 9.3(8)
                  BIOS compile time:  07/05/2021
                  NXOS image file is: bootflash:///nxos.9.3.8.bin
                  NXOS compile time:  8/18/2021 10:00:00 [08/18/2021 19:23:51]

                Hardware
                  cisco Nexus9000 C93180YC-EX chassis
                  Intel(R) Xeon(R) CPU  @ 1.80GHz with 24632904 kB of memory.
                  Processor Board ID \(d.serial)

                  Device name: \(d.name)
                  bootflash:   53298520 kB
                Kernel uptime is \(weeks * 7 + days) day(s), \(hours) hour(s), \(mins) minute(s), \(up % 60) second(s)

                Last reset
                  Reason: Unknown
                  System version: 9.3(8)

                """
        case .aristaEOS:
            return """
                Arista DCS-7050SX3-48YC8
                Hardware version: 11.01
                Serial number:       \(d.serial)
                Hardware MAC address: 444c.a8\(String(d.index % 100).leftPadded(to: 2)).1234
                System MAC address:   444c.a8\(String(d.index % 100).leftPadded(to: 2)).1234

                Software image version: 4.28.3M
                Architecture:           x86_64
                Internal build version: 4.28.3M-28837868.4283M
                Internal build ID:      5d3e5d22-8b2d-4f7c-9e85-0d1a8c3b1f2e
                Image format version:   3.0
                Image optimization:     Strata-4GB

                Uptime:                 \(weeks) weeks, \(days) days, \(hours) hours and \(mins) minutes
                Total memory:           8098984 kB
                Free memory:            5963544 kB

                """
        case .juniperJunos:
            return """
                Hostname: \(d.name)
                Model: mx204
                Junos: 21.4R3.15
                JUNOS OS Kernel 64-bit  [20220928.8f0dd0b_builder_stable_12_214]
                JUNOS OS libs [20220928.8f0dd0b_builder_stable_12_214]
                JUNOS OS runtime [20220928.8f0dd0b_builder_stable_12_214]
                JUNOS Packet Forwarding Engine Support (MX Common) [21.4R3.15]
                JUNOS Routing Software Suite [21.4R3.15]

                """
        }
    }

    /// Junos `show chassis hardware`.
    func chassisHardware() -> String {
        """
        Hardware inventory:
        Item             Version  Part number  Serial number     Description
        Chassis                                \(device.serial)      MX204
        Midplane         REV 27   750-070866   ACRB9918          Lower Backplane
        Routing Engine 0 REV 08   750-067435   CAGH1463          RE-S-1600x8
        CB 0             REV 01   750-070895   CAGF8016          Control Board
        FPC 0                     BUILTIN      BUILTIN           MPC-8XQ-80G-FPC
          PIC 0                   BUILTIN      BUILTIN           4XQSFP28 PIC
        Fan Tray 0       REV 01   760-069329   ACDF4376          Fan Tray 0

        """
    }
}
