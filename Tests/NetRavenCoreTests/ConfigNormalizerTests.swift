import Testing

@testable import NetRavenCore

@Suite struct ConfigNormalizerTests {
    let book: RuleBook

    init() throws {
        book = try RuleBook.load(directory: repositoryRules)
    }

    static let iosOutput = """
        Building configuration...

        Current configuration : 1234 bytes
        !
        ! Last configuration change at 09:12:44 UTC Sat Nov 21 2026 by jdoe
        ! NVRAM config last updated at 09:00:01 UTC Sat Nov 21 2026 by jdoe
        !
        version 15.9
        hostname r1
        enable secret 9 $9$abcdefghijkl$mnopqrstuvwxyz
        username admin privilege 15 secret 9 $9$zzzzzzzz$yyyyyyyy
        snmp-server community S3cr3tC0mm RO
        tacacs-server host 10.0.0.9 key 7 0822455D0A16
        ntp clock-period 17179865
        interface Gi0/1
         description uplink
        !
        end
        """

    @Test func trimsHeadDropsVolatileKeepsTheRest() throws {
        let normalizer = ConfigNormalizer(platform: try #require(book.platforms["cisco_ios"]), maskSecrets: false)
        let text = try normalizer.normalize(Self.iosOutput)
        #expect(text.hasPrefix("!\n!\nversion 15.9\n"))
        #expect(!text.contains("Building configuration"))
        #expect(!text.contains("Last configuration change"))
        #expect(!text.contains("ntp clock-period"))
        #expect(text.contains("S3cr3tC0mm"))
        #expect(text.hasSuffix("!\nend\n"))
    }

    @Test func volatileChangesDoNotChangeTheResult() throws {
        let normalizer = ConfigNormalizer(platform: try #require(book.platforms["cisco_ios"]), maskSecrets: false)
        let later = Self.iosOutput.replacingOccurrences(of: "17179865", with: "17179999")
            .replacingOccurrences(of: "09:12:44", with: "10:00:00")
        #expect(try normalizer.normalize(Self.iosOutput) == normalizer.normalize(later))
    }

    @Test func masksEverySecret() throws {
        let normalizer = ConfigNormalizer(platform: try #require(book.platforms["cisco_ios"]), maskSecrets: true)
        let text = try normalizer.normalize(Self.iosOutput)
        for secret in ["$9$abcdefghijkl$mnopqrstuvwxyz", "$9$zzzzzzzz$yyyyyyyy", "S3cr3tC0mm", "0822455D0A16"] {
            #expect(!text.contains(secret), "\(secret) survived")
        }
        #expect(text.contains("enable secret 9 <removed>"))
        #expect(text.contains("snmp-server community <removed> RO"))
        #expect(text.contains("description uplink"))
    }

    @Test func masksJunosSecrets() throws {
        let normalizer = ConfigNormalizer(platform: try #require(book.platforms["juniper_junos"]), maskSecrets: true)
        let output = """
            ## Last commit: 2026-11-21 09:12:44 UTC by jdoe
            version 21.4R3.15;
            system {
                root-authentication {
                    encrypted-password "$6$abc$def";
                }
            }
            snmp {
                community Publ1cC0mm {
                    authorization read-only;
                }
            }
            """
        let text = try normalizer.normalize(output)
        #expect(!text.contains("$6$abc$def"))
        #expect(!text.contains("Publ1cC0mm"))
        #expect(!text.contains("Last commit"))
        #expect(text.contains("encrypted-password \"<removed>\";"))
    }

    @Test func refusesOutputWithoutEndMarker() throws {
        let normalizer = ConfigNormalizer(platform: try #require(book.platforms["cisco_ios"]), maskSecrets: false)
        let cut = Self.iosOutput.components(separatedBy: "\n").prefix(12).joined(separator: "\n")
        #expect(throws: ConfigNormalizer.Truncated.self) { try normalizer.normalize(cut) }
    }

    @Test func refusesTooFewLines() throws {
        let nxos = try #require(book.platforms["cisco_nxos"])
        let normalizer = ConfigNormalizer(platform: nxos, maskSecrets: false)
        #expect(throws: ConfigNormalizer.Truncated.self) { try normalizer.normalize("!Command: show running-config\nversion 9.3\n") }
        #expect(throws: Never.self) { try normalizer.normalize("version 9.3\nhostname r2\nfeature ospf\nvlan 10\ninterface e1/1\n") }
    }
}
