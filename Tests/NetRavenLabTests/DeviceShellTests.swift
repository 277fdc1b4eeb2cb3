import Foundation
import Testing

@testable import NetRavenLab

/// The CLI state machine, driven byte by byte without SSH.
@Suite struct DeviceShellTests {
    func makeDevice(_ platform: LabPlatform, size: Int = 4096) throws -> LabDevice {
        let config = ConfigGenerator(platform: platform, hostname: "r1", targetBytes: size).generate()
        return try LabDevice(
            name: "r1", platform: platform, index: 1, username: "admin", password: "pw", enablePassword: "en",
            config: config, hostKeyFile: nil, now: 1_795_000_000)
    }

    func type(_ shell: inout DeviceShell, _ text: String) -> String {
        var out = ""
        // One byte at a time, as a person types.
        for byte in text.utf8 {
            for action in shell.receive([byte]) {
                if case .send(let s) = action { out += s } else { out += "<CLOSE>" }
            }
        }
        return out
    }

    @Test func iosEnableAndPrivilegedShow() throws {
        var shell = DeviceShell(device: try makeDevice(.ciscoIOS), user: "admin")
        #expect(shell.prompt == "r1>")
        let denied = type(&shell, "show running-config\r")
        #expect(denied.contains("% Invalid input detected at '^' marker."))
        #expect(denied.contains("\r\n        ^\r\n"))  // under "running-config": prompt (3) + "show " (5)
        #expect(type(&shell, "enable\r").hasSuffix("Password: "))
        let wrong = type(&shell, "x\rx\rx\r")
        #expect(wrong.contains("% Bad secrets") && wrong.hasSuffix("r1>"))
        #expect(!wrong.contains("x"))  // passwords are not echoed
        _ = type(&shell, "enable\r")
        #expect(type(&shell, "en\r").hasSuffix("r1#"))
        let run = type(&shell, "term len 0\rsh run\r")
        #expect(run.hasPrefix("term len 0\r\nr1#sh run\r\nBuilding configuration...\r\n"))
        #expect(run.hasSuffix("end\r\nr1#"))
        #expect(!run.contains("--More--"))
    }

    @Test func iosPagerShowsMoreAndContinues() throws {
        var shell = DeviceShell(device: try makeDevice(.ciscoIOS), user: "admin")
        _ = type(&shell, "enable\ren\r")
        let first = type(&shell, "show running-config\r")
        #expect(first.hasSuffix(" --More-- "))
        #expect(first.components(separatedBy: "\r\n").count == 2 + 23)  // echo line, 23 lines, pager
        let erase = "\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}        \u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}"
        let oneLine = type(&shell, "\r")
        #expect(oneLine.hasPrefix(erase) && oneLine.components(separatedBy: "\r\n").count == 2)
        var all = first + oneLine
        var pages = 0
        while !all.hasSuffix("r1#") && pages < 1000 {
            all += type(&shell, " ")
            pages += 1
        }
        #expect(all.contains("\r\nend\r\nr1#"))
        _ = type(&shell, "show run\r")
        #expect(type(&shell, "q").hasSuffix(erase + "r1#"))
    }

    @Test func junosDisplaySetAndPager() throws {
        var shell = DeviceShell(device: try makeDevice(.juniperJunos), user: "admin")
        #expect(shell.prompt == "admin@r1> ")
        #expect(type(&shell, "set cli screen-length 0\r").contains("Screen length set to 0\r\n\r\nadmin@r1> "))
        let set = type(&shell, "show configuration | display set\r")
        #expect(set.contains("\r\nset system host-name r1\r\n"))
        #expect(set.contains("set snmp community S3cr3tC0mm authorization read-only"))
        #expect(set.contains("## Last commit: "))
        #expect(type(&shell, "foo\r").contains("unknown command."))
        var paged = DeviceShell(device: try makeDevice(.juniperJunos), user: "admin")
        #expect(type(&paged, "show configuration\r").contains("---(more "))
    }

    @Test func nxosAndEosPrompts() throws {
        var nx = DeviceShell(device: try makeDevice(.ciscoNXOS), user: "admin")
        #expect(nx.prompt == "r1# ")
        #expect(type(&nx, "terminal length 0\rshow running-config\r").contains("!Time: "))
        var eos = DeviceShell(device: try makeDevice(.aristaEOS), user: "admin")
        #expect(eos.prompt == "r1>")
        #expect(type(&eos, "terminal length 0\r").contains("Pagination disabled."))
        _ = type(&eos, "enable\ren\r")
        #expect(eos.prompt == "r1#")
        #expect(type(&eos, "exit\r").hasSuffix("<CLOSE>"))
    }

    @Test func abbreviationsAndAmbiguity() throws {
        var shell = DeviceShell(device: try makeDevice(.ciscoIOS), user: "admin")
        #expect(type(&shell, "sh ver\r").contains("Processor board ID FTX20001ABCD"))
        #expect(type(&shell, "t\r").contains("% Ambiguous command"))  // telnet, terminal, traceroute
        #expect(type(&shell, "show\r").contains("% Incomplete command."))
        #expect(type(&shell, "sh ver | i board\r").contains("\r\nProcessor board ID FTX20001ABCD\r\nr1>"))
    }

    @Test func volatileLinesChange() throws {
        let device = try makeDevice(.ciscoIOS)
        let a = device.renderedConfig(), b = device.renderedConfig()
        let clock = { (s: String) in s.split(separator: "\n").first { $0.hasPrefix("ntp clock-period") } }
        #expect(clock(a) != nil)
        // 1,000 possible values: two shows differ almost always; ten in a row cannot all be equal.
        #expect(Set((0..<10).map { _ in clock(device.renderedConfig()).map(String.init) ?? "" }).count > 1 || a != b)
        device.applyChange(LabConfigChange(user: "jdoe", add: ["ntp server 10.9.9.9"], remove: ["ntp server 10.0.0.2"]))
        let after = device.renderedConfig()
        #expect(after.contains("\nntp server 10.9.9.9\nend\n"))
        #expect(!after.contains("ntp server 10.0.0.2"))
        #expect(after.contains(" by jdoe\n"))
        #expect(device.changeCount == 1)
    }

    @Test func junosSetAndDelete() throws {
        let device = try makeDevice(.juniperJunos)
        let before = device.config
        #expect(JunosNode.parse(before).serialized() == before)  // round trip
        device.applyChange(LabConfigChange(
            user: "ops", add: ["set system ntp server 10.9.9.9"], remove: ["delete snmp location"]))
        #expect(device.config.contains("        server 10.9.9.9;\n"))
        #expect(!device.config.contains("location \"Lab rack 4\""))
        #expect(device.renderedConfig().hasPrefix("## Last commit: ") && device.renderedConfig().contains(" by ops\n"))
    }
}

@Suite struct ConfigGeneratorTests {
    @Test(arguments: LabPlatform.allCases)
    func sizeIsWithinTenPercent(platform: LabPlatform) {
        for target in [4096, 200 * 1024] {
            let text = ConfigGenerator(platform: platform, hostname: "r9", targetBytes: target).generate()
            let size = text.utf8.count
            #expect(abs(size - target) <= target / 10, "\(platform) \(target): \(size)")
            #expect(text.contains("S3cr3tC0mm"))
        }
    }

    @Test func twentyMegabytes() {
        let target = 20 << 20
        let text = ConfigGenerator(platform: .ciscoIOS, hostname: "big", targetBytes: target).generate()
        #expect(abs(text.utf8.count - target) <= target / 10)
        #expect(text.hasSuffix("end\n"))
    }

    @Test func sizeOption() {
        #expect(LabCommand.parseSize("200KB") == 204_800)
        #expect(LabCommand.parseSize("20MB") == 20 << 20)
        #expect(LabCommand.parseSize("4096") == 4096)
        #expect(LabCommand.parseSize("abc") == nil)
    }
}
