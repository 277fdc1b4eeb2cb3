/// Generates a realistic running configuration (interfaces, VLANs, ACLs, routing, secrets) of about a given size.
///
/// Output is deterministic for a hostname, platform and size, so restarts and tests see the same text.
/// The text is the configuration body only: the volatile header lines a device prints around it
/// ("Building configuration...", "## Last commit", "!Time:") are added by ``ConfigRenderer`` at show time.
struct ConfigGenerator {
    var platform: LabPlatform
    var hostname: String
    var targetBytes: Int

    func generate() -> String {
        switch platform {
        case .ciscoIOS: return ios()
        case .ciscoNXOS: return nxos()
        case .aristaEOS: return eos()
        case .juniperJunos: return junos()
        }
    }

    /// Appends blocks from `block(i)` until head + body + tail reaches the target size.
    private func fill(head: String, tail: String, minimum: Int = 4, block: (Int) -> String) -> String {
        var body = ""
        let budget = targetBytes - head.utf8.count - tail.utf8.count
        body.reserveCapacity(max(budget, 0) + 512)
        var i = 0
        while i < minimum || body.utf8.count < budget {
            body += block(i)
            i += 1
        }
        return head + body + tail
    }

    private func ip(_ i: Int, _ host: Int) -> String {
        "10.\(100 + (i / 65_536) % 100).\((i / 256) % 256).\((i % 64) * 4 + host)"
    }

    // MARK: Cisco IOS

    private func ios() -> String {
        let head = """
            version 15.9
            service timestamps debug datetime msec
            service timestamps log datetime msec
            service password-encryption
            no platform punt-keepalive disable-kernel-core
            !
            hostname \(hostname)
            !
            boot-start-marker
            boot system flash isr4300-universalk9.16.09.04.SPA.bin
            boot-end-marker
            !
            vrf definition Mgmt-intf
             address-family ipv4
             exit-address-family
            !
            logging buffered 64000 informational
            enable secret 9 $9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM
            !
            aaa new-model
            aaa authentication login default group tacacs+ local
            aaa authorization exec default group tacacs+ local
            aaa accounting exec default start-stop group tacacs+
            !
            clock timezone UTC 0 0
            ip domain name lab.example.net
            ip name-server 10.0.0.53
            !
            login on-success log
            !
            license udi pid ISR4331/K9 sn FTX2123ABCD
            !
            username admin privilege 15 secret 9 $9$4jeHaLJmKMsjYU$BkVtr2/Pq94zqP.4mIk.8QW1sp3hLA0pGSV0y4vR9zI
            username backup privilege 15 password 7 094F471A1A0A
            !
            key chain OSPF-KEYS
             key 1
              key-string 7 0822455D0A165445415F59
            !
            redundancy
             mode none
            !
            ip ssh version 2
            ip scp server enable
            !

            """
        let tail = """
            router ospf 1
             router-id 10.255.0.1
             passive-interface default
             no passive-interface GigabitEthernet0/0/0
             network 10.0.0.0 0.255.255.255 area 0
            !
            router bgp 65001
             bgp log-neighbor-changes
             neighbor 10.255.0.2 remote-as 65002
             neighbor 10.255.0.2 password 7 070C285F4D06
             neighbor 10.255.0.2 description upstream-isp
            !
            ip forward-protocol nd
            no ip http server
            no ip http secure-server
            ip route 0.0.0.0 0.0.0.0 10.255.0.2
            ip ssh time-out 60
            !
            ip access-list standard SNMP-RO
             permit 10.0.0.0 0.0.0.255
            !
            logging host 10.0.0.20
            snmp-server community S3cr3tC0mm RO SNMP-RO
            snmp-server location Lab rack 4
            snmp-server contact noc@example.net
            snmp-server enable traps config
            snmp-server host 10.0.0.20 version 2c S3cr3tC0mm
            !
            tacacs server TAC1
             address ipv4 10.0.0.5
             key 7 121A0C0411045D5679
            !
            control-plane
            !
            banner motd ^C
            Authorized access only. \(hostname) is monitored.
            ^C
            !
            line con 0
             transport input none
             stopbits 1
            line aux 0
            line vty 0 4
             access-class SNMP-RO in
             transport input ssh
            !
            ntp clock-period 17179869
            ntp server 10.0.0.1
            ntp server 10.0.0.2
            !
            end

            """
        return fill(head: head, tail: tail) { i in
            let port = 1 + i / 4000
            let vlan = 2 + i % 4000
            var s = """
                interface GigabitEthernet0/0/\(port).\(vlan)
                 description cust-\(hostname)-\(i) circuit ID CID\(100_000 + i)
                 encapsulation dot1Q \(vlan)
                 ip address \(ip(i, 1)) 255.255.255.252
                 ip access-group ACL-CUST-\(i % 50) in
                 ip ospf message-digest-key 1 md5 7 1511021F0725
                 no ip redirects
                !

                """
            if i % 3 == 0 {
                s += """
                    ip access-list extended ACL-CUST-\(i)
                     10 permit tcp \(ip(i, 0)) 0.0.0.3 any eq 22
                     20 permit udp \(ip(i, 0)) 0.0.0.3 host 10.0.0.1 eq 123
                     30 deny   ip any any log
                    !

                    """
            }
            return s
        }
    }

    // MARK: Cisco NX-OS

    private func nxos() -> String {
        let head = """
            version 9.3(8) Bios:version 05.45
            hostname \(hostname)
            vdc \(hostname) id 1
              limit-resource vlan minimum 16 maximum 4094
              limit-resource vrf minimum 2 maximum 4096

            feature tacacs+
            feature bgp
            feature interface-vlan
            feature lacp
            feature lldp

            username admin password 5 $5$KNLKLE$Ulyo2Ya7lpRdAzkPSc4ZTXVmq8xqbHFjXtUgMyMaUJ2  role network-admin
            ip domain-lookup
            tacacs-server key 7 "fewhg123"
            tacacs-server host 10.0.0.5 key 7 "fewhg123"
            snmp-server user admin network-admin auth md5 0x5f1b4b8a3c2e6d7f9a0b1c2d3e4f5a6b priv 0x5f1b4b8a3c2e6d7f9a0b1c2d3e4f5a6b localizedkey
            snmp-server community S3cr3tC0mm group network-operator
            ntp server 10.0.0.1 use-vrf management

            """
        let tail = """
            interface mgmt0
              vrf member management
              ip address 192.168.0.12/24
            line console
            line vty
            boot nxos bootflash:/nxos.9.3.8.bin
            router bgp 65010
              router-id 10.255.0.10
              neighbor 10.255.0.11
                remote-as 65011
                password 3 9125d59c18a9b015
                address-family ipv4 unicast

            """
        return fill(head: head, tail: tail) { i in
            let vlan = 2 + i % 3900
            var s = """
                vlan \(vlan)
                  name SEG-\(hostname)-\(vlan)

                interface Ethernet1/\(1 + i % 48)\(i >= 48 ? "/\(1 + i / 48)" : "")
                  description srv-\(i) rack \(i % 40)
                  switchport
                  switchport mode trunk
                  switchport trunk allowed vlan \(vlan)
                  mtu 9216
                  no shutdown

                """
            if i % 3 == 0 {
                s += """
                    ip access-list ACL-SRV-\(i)
                      10 permit tcp \(ip(i, 0))/30 any eq 22
                      20 permit udp \(ip(i, 0))/30 10.0.0.1/32 eq ntp
                      30 deny ip any any log

                    """
            }
            return s
        }
    }

    // MARK: Arista EOS

    private func eos() -> String {
        let head = """
            aaa root secret sha512 $6$Lr0oTs4lT9pQ$Hc1Vb2Nm3As4Df5Gh6Jk7Lq8Wq9Er0Ty1Ui2Op3Zx4Cv5Bn6Mm7Aa8Ss9Dd0Ff1Gg2Hh3Jj4Kk5Ll6Qq7Ww8Ee9.
            !
            username admin privilege 15 role network-admin secret sha512 $6$jK3rTc7hQ9bA2pLm$0x9Qm9n7ZyZp4c8FzE1Wq3v2yBq1uJ8h7aT5rR6pL0kN2sD4fG6hJ8kL0zX2cV4bN6mQ8wE0rT2yU4iO6pA8sD.
            !
            transceiver qsfp default-mode 4x10G
            !
            service routing protocols model multi-agent
            !
            hostname \(hostname)
            ip name-server vrf default 10.0.0.53
            dns domain lab.example.net
            !
            ntp server 10.0.0.1
            !
            snmp-server community S3cr3tC0mm ro
            snmp-server host 10.0.0.20 version 2c S3cr3tC0mm
            !
            tacacs-server host 10.0.0.5 key 7 070C285F4D06
            !
            spanning-tree mode mstp
            !

            """
        let tail = """
            interface Management1
               ip address 192.168.0.13/24
            !
            ip routing
            !
            ip route 0.0.0.0/0 10.255.0.2
            !
            router bgp 65020
               router-id 10.255.0.20
               neighbor 10.255.0.21 remote-as 65021
               neighbor 10.255.0.21 password 7 J8kV+2xq0Qe8cD1K3VfXYw==
               network 10.0.0.0/8
            !
            management api http-commands
               no shutdown
            !
            end

            """
        return fill(head: head, tail: tail) { i in
            let vlan = 2 + i % 3900
            var s = """
                vlan \(vlan)
                   name SEG-\(vlan)
                !
                interface Ethernet\(1 + i % 48)\(i >= 48 ? "/\(1 + i / 48)" : "")
                   description srv-\(i) rack \(i % 40)
                   switchport trunk allowed vlan \(vlan)
                   switchport mode trunk
                   ip access-group ACL-SRV-\(i % 50) in
                !

                """
            if i % 3 == 0 {
                s += """
                    ip access-list ACL-SRV-\(i)
                       10 permit tcp \(ip(i, 0))/30 any eq ssh
                       20 permit udp \(ip(i, 0))/30 host 10.0.0.1 eq ntp
                       30 deny ip any any log
                    !

                    """
            }
            return s
        }
    }

    // MARK: Juniper Junos

    private func junos() -> String {
        // Junos nests: the filler goes into several hierarchies, so the generator assembles them in order.
        var interfaces = ""
        var vlans = ""
        var filters = ""
        let head = """
            version 21.4R3.15;
            system {
                host-name \(hostname);
                root-authentication {
                    encrypted-password "$6$rT9kL2mQ$8aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0uV1wX2yZ3aB4cD5eF6gH7iJ8kL9mN0oP1qR2sT3uV4wX5yZ6aB7c"; ## SECRET-DATA
                }
                login {
                    user admin {
                        uid 2000;
                        class super-user;
                        authentication {
                            encrypted-password "$6$aB3dE5fG$Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8L9z0X1c2V3b4N5m6Q7w8E9r0T1y2U3i4O5p6A7s8D9f0"; ## SECRET-DATA
                        }
                    }
                }
                services {
                    ssh {
                        root-login deny;
                    }
                    netconf {
                        ssh;
                    }
                }
                syslog {
                    host 10.0.0.20 {
                        any notice;
                    }
                    file messages {
                        any notice;
                    }
                }
                ntp {
                    server 10.0.0.1;
                    server 10.0.0.2;
                }
                tacplus-server {
                    10.0.0.5 secret "$9$Hk5FCA0IhruOBEcrKvWLxNdbs4ZGji"; ## SECRET-DATA
                }
            }
            chassis {
                aggregated-devices {
                    ethernet {
                        device-count 8;
                    }
                }
            }
            snmp {
                location "Lab rack 4";
                contact "noc@example.net";
                community S3cr3tC0mm {
                    authorization read-only;
                }
            }

            """
        let routing = """
            routing-options {
                router-id 10.255.0.40;
                autonomous-system 65040;
                static {
                    route 0.0.0.0/0 next-hop 10.255.0.41;
                }
            }
            protocols {
                bgp {
                    group upstream {
                        type external;
                        peer-as 65041;
                        neighbor 10.255.0.41 {
                            authentication-key "$9$dVbYoGjHqfz6"; ## SECRET-DATA
                        }
                    }
                }
                lldp {
                    interface all;
                }
            }

            """
        let budget = targetBytes - head.utf8.count - routing.utf8.count - 64
        var i = 0
        while i < 4 || interfaces.utf8.count + vlans.utf8.count + filters.utf8.count < budget {
            let vlan = 2 + i % 3900
            interfaces += """
                    ge-0/0/\(i) {
                        description "cust-\(i) circuit CID\(100_000 + i)";
                        unit 0 {
                            family inet {
                                filter {
                                    input FILTER-\(i % 50);
                                }
                                address \(ip(i, 1))/30;
                            }
                        }
                    }

                """
            vlans += """
                    v\(vlan) {
                        vlan-id \(vlan);
                    }

                """
            if i % 3 == 0 {
                filters += """
                            filter FILTER-\(i) {
                                term ssh {
                                    from {
                                        source-address {
                                            \(ip(i, 0))/30;
                                        }
                                        protocol tcp;
                                        destination-port ssh;
                                    }
                                    then accept;
                                }
                                term deny {
                                    then {
                                        discard;
                                    }
                                }
                            }

                    """
            }
            i += 1
        }
        return head + "interfaces {\n" + interfaces + "}\n" + "firewall {\n    family inet {\n" + filters
            + "    }\n}\n" + routing + "vlans {\n" + vlans + "}\n"
    }
}
