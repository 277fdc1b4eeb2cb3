import Foundation
import NetRavenCore
import Testing

@Suite struct SyslogMessageParsingTests {
    /// 2024-06-01: RFC 3164 dates without a year fall in 2024.
    static let reference = Date(timeIntervalSince1970: 1_717_200_000)

    func parse(_ line: String) throws -> SyslogMessage {
        try SyslogMessage.parse(Array(line.utf8), reference: Self.reference)
    }

    func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    func close(_ left: Date?, _ right: String) -> Bool {
        guard let left, let right = date(right) else { return false }
        return abs(left.timeIntervalSince(right)) < 0.0005
    }

    @Test func ciscoSequenceNumberMillisecondsZoneNoHostname() throws {
        let message = try parse(
            "<189>48213: Mar  4 09:12:44.512 UTC: %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.0.0.5)")
        #expect(message.facility == 23 && message.severity == 5 && message.format == .rfc3164)
        #expect(message.sequence == "48213")
        #expect(message.timestampText == "Mar  4 09:12:44.512 UTC")
        #expect(close(message.timestamp, "2024-03-04T09:12:44.512Z"))
        #expect(message.hostname == nil && message.relayHost == nil && message.appName == nil)
        #expect(message.text == "%SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.0.0.5)")
    }

    @Test(arguments: ["*", "."])
    func clockSyncMarkers(_ marker: String) throws {
        let message = try parse(
            "<189>12: \(marker)Mar  1 00:10:38.011: %SYS-5-CONFIG_I: Configured from console by console")
        #expect(message.timestampText == "\(marker)Mar  1 00:10:38.011")
        #expect(close(message.timestamp, "2024-03-01T00:10:38.011Z"))
        #expect(message.text.hasPrefix("%SYS-5-CONFIG_I:"))
    }

    @Test func yearBeforeTheTimeAndNamedZone() throws {
        let message = try parse(
            "<189>101: Mar  4 2023 09:12:44 CET: %SYS-5-CONFIG_I: Configured from console by console")
        #expect(close(message.timestamp, "2023-03-04T08:12:44.000Z"))
        #expect(message.hostname == nil && message.text.hasPrefix("%SYS"))
    }

    @Test func unknownZoneKeepsTheTextButNoDate() throws {
        let message = try parse("<189>101: Mar  4 09:12:44 XYZT: %SYS-5-CONFIG_I: Configured from console by console")
        #expect(message.timestamp == nil && message.timestampText == "Mar  4 09:12:44 XYZT")
        #expect(message.text.hasPrefix("%SYS"))
    }

    @Test func hostnameAfterTheSequenceNumber() throws {
        let message = try parse(
            "<189>48213: r1: *Mar  4 09:12:44.512 UTC: %SYS-5-CONFIG_I: Configured from console by console")
        #expect(message.hostname == "r1" && message.sequence == "48213")
        #expect(message.text.hasPrefix("%SYS-5-CONFIG_I"))
        let untimed = try parse("<189>48213: r1: %SYS-5-CONFIG_I: Configured from console by console")
        #expect(untimed.hostname == "r1" && untimed.timestamp == nil && untimed.text.hasPrefix("%SYS"))
    }

    @Test func uptimeStampsHaveNoDate() throws {
        for line in ["<189>7: 00:10:38: %SYS-5-CONFIG_I: x", "<189>7: 1d02h: %SYS-5-CONFIG_I: x"] {
            let message = try parse(line)
            #expect(message.timestamp == nil && message.timestampText != nil && message.text == "%SYS-5-CONFIG_I: x")
        }
    }

    @Test func nxosEmptySequenceYearFirst() throws {
        let message = try parse(
            "<189>: 2024 Mar  4 09:12:44 UTC: %VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by admin")
        #expect(message.sequence == nil && message.hostname == nil)
        #expect(close(message.timestamp, "2024-03-04T09:12:44.000Z"))
        #expect(message.text.hasPrefix("%VSHD-5-VSHD_SYSLOG_CONFIG_I:"))
    }

    @Test func iosXRNodeBeforeTheTimestamp() throws {
        let message = try parse(
            "<189>1523: RP/0/RSP0/CPU0:Mar  4 09:12:44.512 UTC: config[65741]: %MGBL-CONFIG-6-DB_COMMIT : Configuration")
        #expect(message.sequence == "1523" && message.hostname == nil)
        #expect(close(message.timestamp, "2024-03-04T09:12:44.512Z"))
        #expect(message.appName == "config" && message.procID == "65741")
        #expect(message.text == "%MGBL-CONFIG-6-DB_COMMIT : Configuration")
    }

    @Test func junosBSDWithHostnameAndTag() throws {
        let message = try parse(
            "<189>Mar  4 09:12:44 r1 mgd[1234]: UI_COMMIT: User 'admin' requested 'commit' operation")
        #expect(message.hostname == "r1" && message.appName == "mgd" && message.procID == "1234")
        #expect(message.text == "UI_COMMIT: User 'admin' requested 'commit' operation")
        #expect(message.ruleText == message.text)
    }

    @Test func rfc5424StructuredDataAndBOM() throws {
        let line =
            "<189>1 2024-03-04T09:12:44.512+01:00 r1 mgd 1234 UI_COMMIT [junos@2636.1.1.1.2.21 username=\"admin\" "
            + "message=\"say \\\"hi\\\" \\] ok\"][meta sequenceId=\"7\"] "
            + "\u{FEFF}User 'admin' requested 'commit' operation"
        let message = try parse(line)
        #expect(message.format == .rfc5424 && message.facility == 23 && message.severity == 5)
        #expect(close(message.timestamp, "2024-03-04T08:12:44.512Z"))
        #expect(message.hostname == "r1" && message.appName == "mgd" && message.procID == "1234")
        #expect(message.msgID == "UI_COMMIT")
        #expect(message.structuredData.count == 2)
        #expect(message.structuredData.first?.id == "junos@2636.1.1.1.2.21")
        #expect(message.structuredData.first?["username"] == "admin")
        #expect(message.structuredData.first?["message"] == "say \"hi\" ] ok")
        #expect(message.structuredData.last?["sequenceId"] == "7")
        #expect(message.text == "User 'admin' requested 'commit' operation")
        #expect(message.ruleText == "UI_COMMIT: User 'admin' requested 'commit' operation")
    }

    @Test func rfc5424NilValuesAndNoMessage() throws {
        let message = try parse("<13>1 - - - - - -")
        #expect(message.format == .rfc5424 && message.timestamp == nil && message.hostname == nil)
        #expect(
            message.appName == nil && message.msgID == nil && message.structuredData.isEmpty && message.text.isEmpty)
    }

    @Test func relayHeaderInFrontOfTheDevicesOwn() throws {
        let message = try parse(
            "<189>Mar  4 09:12:45 relay1 <189>48213: Mar  4 09:12:44.512 UTC: "
                + "%SYS-5-CONFIG_I: Configured from console by console"
        )
        #expect(message.relayHost == "relay1" && message.hostname == nil && message.sequence == "48213")
        #expect(close(message.timestamp, "2024-03-04T09:12:44.512Z"))
        #expect(message.text.hasPrefix("%SYS-5-CONFIG_I"))
        let junos = try parse(
            "<189>1 2024-03-04T09:12:45Z relay1 rsyslogd - - - <189>Mar  4 09:12:44 r1 mgd[1]: UI_COMMIT: x")
        #expect(junos.relayHost == "relay1" && junos.hostname == "r1" && junos.text == "UI_COMMIT: x")
    }

    @Test func relayThatKeepsTheOriginalHostname() throws {
        let message = try parse(
            "<189>Mar  4 09:12:45 r1 48213: Mar  4 09:12:44.512 UTC: "
                + "%SYS-5-CONFIG_I: Configured from console by console"
        )
        #expect(message.hostname == "r1" && message.relayHost == nil && message.sequence == "48213")
        #expect(message.timestampText == "Mar  4 09:12:44.512 UTC")
        #expect(message.text.hasPrefix("%SYS-5-CONFIG_I"))
    }

    @Test func vendorTimestampLayouts() throws {
        let comware = try parse("<189>Mar  4 09:12:44:512 2024 SW1 %%10SHELL/6/SHELL_CMD: -Line=vty0; Command is x")
        #expect(comware.hostname == "SW1" && close(comware.timestamp, "2024-03-04T09:12:44.512Z"))
        #expect(comware.text.hasPrefix("%%10SHELL"))
        let huawei = try parse("<190>2024-03-04 09:12:44.512+01:00 NE8000-1 %%01CONFIGURATION/6/X(l):text")
        #expect(huawei.hostname == "NE8000-1" && close(huawei.timestamp, "2024-03-04T08:12:44.512Z"))
        let asa = try parse("<173>Mar 04 2024 09:12:44 fw1 : %ASA-5-111008: User 'admin' executed the 'x' command.")
        #expect(asa.hostname == "fw1" && asa.text.hasPrefix("%ASA-5-111008"))
        // December seen in January: last year's December.
        let january = Date(timeIntervalSince1970: 1_704_067_200 + 3600)  // 2024-01-01T01:00Z
        let december = try SyslogMessage.parse(Array("<13>Dec 31 23:59:59 h x".utf8), reference: january)
        #expect(close(december.timestamp, "2023-12-31T23:59:59.000Z"))
    }

    @Test func messagesWithoutAnyHeader() throws {
        let forti = try parse("<189>date=2024-03-04 time=09:12:44 devname=\"FGT-1\" logid=\"0100044547\"")
        #expect(forti.hostname == nil && forti.timestamp == nil && forti.text.hasPrefix("date=2024-03-04"))
        let mikrotik = try parse("<30>Mar  4 09:12:50 system,info ip address changed by admin")
        #expect(mikrotik.hostname == nil && mikrotik.text == "system,info ip address changed by admin")
    }

    @Test func invalidUTF8IsReplacedNotRefused() throws {
        var bytes = Array("<189>Mar  4 09:12:44 r1 tag: caf".utf8)
        bytes += [0xC3, 0x28, 0xFF]
        let message = try SyslogMessage.parse(bytes, reference: Self.reference)
        #expect(message.hostname == "r1" && message.text.hasPrefix("caf") && message.text.contains("\u{FFFD}"))
    }

    @Test func trailingNewlinesAndNULsAreFraming() throws {
        let message = try SyslogMessage.parse(
            Array("<13>Mar  4 09:12:44 h x\r\n".utf8) + [0], reference: Self.reference)
        #expect(message.text == "x")
    }

    @Test(arguments: [
        ("", "empty"), ("\n\0", "empty"), ("Mar  4 09:12:44 r1 x", "missingPriority"), ("<>x", "missingPriority"),
        ("<1234>x", "missingPriority"), ("<abc>x", "missingPriority"), ("<192>x", "invalidPriority"),
        ("<999>x", "invalidPriority"), ("<13>a\u{0}b", "binary"), ("<13>\u{1}\u{2}\u{3}\u{4}\u{5}x", "binary"),
    ])
    func malformedInputIsAClassifiedError(_ line: String, _ code: String) {
        do {
            let message = try SyslogMessage.parse(Array(line.utf8))
            Issue.record("parsed as \(message)")
        } catch {
            #expect(error.code.description == code, "\(error)")
        }
    }

    @Test func oversizedInputIsRefusedUnread() {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: SyslogMessage.maximumLength + 1)
        #expect(throws: SyslogParseError(.oversized, "message of 65537 bytes exceeds 65536")) {
            try SyslogMessage.parse(bytes)
        }
    }

    @Test func priorityBoundaries() throws {
        #expect(try parse("<0>x").facility == 0)
        let top = try parse("<191>x")
        #expect(top.facility == 23 && top.severity == 7)
    }
}
