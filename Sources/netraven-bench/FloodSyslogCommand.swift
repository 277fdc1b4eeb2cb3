import ArgumentParser
import Foundation

/// Floods a syslog UDP port with realistic noise (link flaps, ACL logs, logins of several vendors; no change
/// lines) at a paced rate, from one or many source addresses, and prints what it offered as one JSON line.
/// Used by the noise-flood fault test (`make soak`, docs/testing.md).
struct FloodSyslogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flood-syslog",
        abstract: "Send syslog noise over UDP at a paced rate; print {sent, errors, seconds, offered_per_second}.")

    @Option(help: "Where to send: HOST:PORT (IPv4).")
    var target: String

    @Option(help: "Messages per second to offer; 0 = as fast as the sender can.")
    var rate = 100_000

    @Option(help: "How long to send, in seconds.")
    var duration = 10.0

    @Option(help: "Send from consecutive IPv4 source addresses starting here (e.g. 127.0.30.1), round robin.")
    var sourceBase: String?

    @Option(help: "How many source addresses (with --source-base).")
    var sources = 1

    func validate() throws {
        guard Self.parseTarget(target) != nil else { throw ValidationError("--target must be IPv4:PORT: \(target)") }
        guard rate >= 0, duration > 0, sources >= 1 else {
            throw ValidationError("--rate must be >= 0, --duration > 0, --sources >= 1")
        }
        if let sourceBase, inet_addr(sourceBase) == in_addr_t.max {
            throw ValidationError("--source-base must be an IPv4 address: \(sourceBase)")
        }
    }

    func run() throws {
        let (host, port) = Self.parseTarget(target)!
        var destination = sockaddr_in()
        destination.sin_family = sa_family_t(AF_INET)
        destination.sin_port = in_port_t(port).bigEndian
        destination.sin_addr.s_addr = inet_addr(host)
        let sockets = try openSockets()
        defer { sockets.forEach { close($0) } }
        let messages = Self.noise.map { Array($0.utf8) }

        let start = Self.now()
        let end = start + duration
        var sent = 0
        var errors = 0
        var now = start
        while now < end {
            // Send what the rate allows up to now (in bursts), then yield briefly when ahead of it.
            let due = rate == 0 ? sent + 256 : Int((now - start) * Double(rate))
            if sent >= due {
                usleep(100)
            }
            while sent < due {
                let message = messages[sent % messages.count]
                let socket = sockets[sent % sockets.count]
                let result = message.withUnsafeBytes { bytes in
                    withUnsafePointer(to: &destination) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            sendto(socket, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                        }
                    }
                }
                if result < 0 { errors += 1 }
                sent += 1
            }
            now = Self.now()
        }
        let seconds = Self.now() - start
        let report: [String: Any] = [
            "sent": sent, "errors": errors, "seconds": (seconds * 1000).rounded() / 1000,
            "offered_per_second": Int(Double(sent - errors) / seconds), "sources": sockets.count,
        ]
        let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// One UDP socket per source address (or one unbound socket).
    private func openSockets() throws -> [Int32] {
        guard let sourceBase else { return [try Self.udpSocket(bindingTo: nil)] }
        let base = UInt32(bigEndian: inet_addr(sourceBase))
        return try (0..<UInt32(sources)).map { try Self.udpSocket(bindingTo: base + $0) }
    }

    private static func udpSocket(bindingTo address: UInt32?) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw ValidationError("socket() failed: \(String(cString: strerror(errno)))") }
        var size: Int32 = 4 << 20
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        guard let address else { return fd }
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = address.bigEndian
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ValidationError("cannot bind a source address: \(reason)")
        }
        return fd
    }

    private static func parseTarget(_ text: String) -> (String, UInt16)? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1]), inet_addr(String(parts[0])) != in_addr_t.max else {
            return nil
        }
        return (String(parts[0]), port)
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// What devices log all day that is not a configuration change, in each vendor's wire format.
    static let noise = [
        "<187>1203: *Nov 21 10:00:00.123: %LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet0/1, "
            + "changed state to down",
        "<189>1204: *Nov 21 10:00:00.125: %LINK-3-UPDOWN: Interface GigabitEthernet0/2, changed state to up",
        "<190>1205: *Nov 21 10:00:00.127: %SEC-6-IPACCESSLOGP: list 101 denied tcp 10.1.1.1(40123) -> "
            + "10.2.2.2(22), 1 packet",
        "<189>: 2026 Nov 21 10:00:00 UTC: %ETHPORT-5-IF_UP: Interface Ethernet1/7 is up in mode access",
        "<189>: 2026 Nov 21 10:00:01 UTC: %ETHPORT-5-IF_DOWN_LINK_FAILURE: Interface Ethernet1/8 is down "
            + "(Link failure)",
        "<166>Nov 21 10:00:00 r3 Lldp: %LLDP-5-NEIGHBOR_NEW: LLDP neighbor with chassisId 001c.7300.0001 and "
            + "portId \"Ethernet1\" added on interface Ethernet12",
        "<165>Nov 21 10:00:00 r3 Ebra: %LINEPROTO-5-UPDOWN: Line protocol on Interface Ethernet5, changed state "
            + "to up",
        "<28>Nov 21 10:00:00 r4 mib2d[2101]: SNMP_TRAP_LINK_DOWN: ifIndex 520, ifAdminStatus up(1), ifOperStatus "
            + "down(2), ifName ge-0/0/1",
        "<38>Nov 21 10:00:00 r4 sshd[4242]: Accepted password for admin from 10.0.0.9 port 51422 ssh2",
        "<30>Nov 21 10:00:00 r4 rpd[1511]: BGP_IO_ERROR_CLOSE_SESSION: BGP peer 10.0.0.2 (External AS 65001): "
            + "Error event Connection reset by peer",
    ]
}
