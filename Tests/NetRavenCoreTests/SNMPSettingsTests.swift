import Foundation
import NetRavenTestSupport
import Testing

@testable import NetRavenCore

@Suite struct SNMPSettingsTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    func load(_ snmp: String, environment: [String: String] = [:]) throws -> Configuration {
        let main = try directory.write(
            "netraven.yaml", "state_dir: state\ninventory: inventory.yaml\ncredentials: credentials.yaml\n" + snmp)
        try directory.write("inventory.yaml", ConfigurationLoaderTests.validInventory)
        try directory.write("credentials.yaml", ConfigurationLoaderTests.validCredentials)
        return try ConfigurationLoader(rulesDirectoryOverride: repositoryRules, environment: environment).load(
            path: main)
    }

    @Test func readsListenCommunitiesUsersAndRelays() throws {
        let configuration = try load(
            """
            snmp:
              listen: "[::]:1162"
              communities: [env:TRAP_COMMUNITY, "literal-community"]
              users:
                - name: nms
                  auth_protocol: sha-256
                  auth_secret: env:AUTH_PASS
                  priv_protocol: aes
                  priv_secret: "privpass99"
                - {name: legacy, auth_protocol: MD5, auth_secret: "oldgear-pass", engine_id: "0x8000000001020304"}
              relays: [192.0.2.1]

            """, environment: ["TRAP_COMMUNITY": "s3cret-comm", "AUTH_PASS": "authpass99"])
        let snmp = try #require(configuration.snmp)
        #expect(snmp.listenAddress == "::" && snmp.listenPort == 1162)
        #expect(snmp.transportSpecifier == "udp6:[::]:1162")
        #expect(snmp.communities.map(\.secret.value) == ["s3cret-comm", "literal-community"])
        #expect(snmp.communities.map(\.description) == ["communities[0]", "communities[1]"])
        #expect(snmp.users.count == 2)
        #expect(snmp.users[0].authProtocol == .sha256 && snmp.users[0].privacyProtocol == .aes)
        #expect(snmp.users[1].engineIDHex == "8000000001020304" && snmp.users[1].privacyProtocol == nil)
        #expect(snmp.relays == ["192.0.2.1"])
        // Secrets never print themselves, not even through the settings' descriptions.
        let printed = "\(snmp.communities) \(snmp.users) \(String(describing: snmp))"
        #expect(!printed.contains("s3cret-comm") && !printed.contains("authpass99") && !printed.contains("privpass99"))
    }

    @Test func noSectionMeansNoReceiver() throws {
        #expect(try load("").snmp == nil)
    }

    @Test func reportsBadValuesWithPositionsAndWithoutSecrets() throws {
        #expect {
            _ = try load(
                """
                snmp:
                  listen: "0.0.0.0"
                  communities: [env:MISSING_COMMUNITY]
                  users:
                    - {name: a, auth_protocol: SHA-999, auth_secret: tiny7}
                    - {name: b, auth_protocol: SHA, auth_secret: "longenough1", priv_protocol: AES}
                    - {name: c, auth_protocol: SHA, auth_secret: "longenough1", engine_id: "0xzz"}
                  relays: [not-an-address]
                  trap_port: 162

                """)
        } throws: { error in
            let text = "\(error)"
            return text.contains("netraven.yaml:5:11: snmp.listen must be ADDRESS:PORT")
                && text.contains("netraven.yaml:6:17: environment variable MISSING_COMMUNITY is not set")
                && text.contains("netraven.yaml:8:32: snmp.users[0].auth_protocol must be one of MD5, SHA")
                && text.contains("netraven.yaml:8:54: snmp.users[0].auth_secret must be at least 8 characters")
                && text.contains("netraven.yaml:9:7: an SNMP user needs both priv_protocol and priv_secret")
                && text.contains("netraven.yaml:10:76: snmp.users[2].engine_id must be 5 to 32 octets")
                && text.contains("netraven.yaml:11:12: snmp.relays[0] must be an IP address")
                && text.contains("netraven.yaml:12:3: unknown key 'trap_port' in snmp")
                && !text.contains("tiny7")
        }
    }
}
