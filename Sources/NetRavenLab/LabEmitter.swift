import Foundation
import NIOCore
import NIOPosix

/// Sends the syslog messages and SNMPv2c traps a device sends when its configuration changes, from the device's
/// own address, to the lab's syslog and trap targets.
///
/// Sending never blocks the caller (an SSH session's event loop or the control API): every write is handed to
/// NIO and its outcome only logged. A missing listener is not an error for the lab.
final class LabEmitter: Sendable {
    private struct Counters {
        /// IOS's syslog message counter ("SEQ:").
        var sequence = 0
        /// Row index of the device's configuration history table (the traps' varbind index).
        var history: UInt32 = 0
    }

    private let group: any EventLoopGroup
    private let syslogTarget: LabNotifyTarget?
    private let trapTarget: LabNotifyTarget?
    private let community: String
    private let log: @Sendable (String) -> Void
    private let resolved = Locked<(syslog: SocketAddress?, trap: SocketAddress?)>((nil, nil))
    /// One UDP socket per source address, bound to that address (port chosen by the kernel).
    private let udp = Locked<[String: any Channel]>([:])
    /// One TCP connection per source address, opened on first use and reopened after a failure.
    private let tcp = Locked<[String: EventLoopFuture<any Channel>]>([:])
    private let counters = Locked<[String: Counters]>([:])
    private let requestID = Locked<Int32>(0)

    init(
        group: any EventLoopGroup, syslogTarget: LabNotifyTarget?, trapTarget: LabNotifyTarget?, community: String,
        log: @escaping @Sendable (String) -> Void
    ) {
        self.group = group
        self.syslogTarget = syslogTarget
        self.trapTarget = trapTarget
        self.community = community
        self.log = log
    }

    /// Resolves the targets and binds one UDP socket per source address.
    func start(sourceAddresses: [String]) async throws {
        func resolve(_ target: LabNotifyTarget?, _ option: String) throws -> SocketAddress? {
            guard let target else { return nil }
            do {
                return try SocketAddress.makeAddressResolvingHost(target.host, port: target.port)
            } catch {
                throw LabError(.invalidArgument, "\(option): cannot resolve '\(target.host)': \(error)")
            }
        }
        let syslog = try resolve(syslogTarget, "--syslog-target")
        let trap = try resolve(trapTarget, "--trap-target")
        resolved.withLock { $0 = (syslog, trap) }
        for address in Set(sourceAddresses) {
            let channel: any Channel
            do {
                channel = try await DatagramBootstrap(group: group).bind(host: address, port: 0).get()
            } catch {
                throw LabError(.bind, "cannot bind a UDP socket on \(address) for syslog/traps: \(error)")
            }
            udp.withLock { $0[address] = channel }
        }
    }

    /// Sends what `device` sends for `event`, as its notify settings allow.
    func send(_ event: LabChangeEvent, device: LabDevice) {
        let notify = device.notifySettings
        let (syslogAddress, trapAddress) = resolved.withLock { $0 }
        var bodies: [String] = []
        let formatter = LabSyslogFormatter(hostname: device.name, pid: 4000 + device.index)
        if notify.syslog, syslogAddress != nil { bodies = formatter.bodies(for: event) }
        let uptime = UInt32(truncatingIfNeeded: Int64(max(0, event.time - device.bootTime) * 100))
        // Sequence numbers and history rows are taken under one lock so concurrent sessions never share one.
        let (firstSequence, history) = counters.withLock { all -> (Int, UInt32) in
            var c = all[device.name] ?? Counters()
            let first = c.sequence + 1
            c.sequence += bodies.count
            if event.kind == .configured || event.kind == .saved { c.history &+= 1 }
            all[device.name] = c
            return (first, c.history)
        }
        if let syslogAddress, let target = syslogTarget {
            for (i, body) in bodies.enumerated() {
                let text = formatter.frame(body, platform: device.platform, time: event.time, sequence: firstSequence + i)
                switch target.transport {
                case .udp: sendDatagram(Array(text.utf8), from: device.address, to: syslogAddress, what: "syslog")
                case .tcp: sendStream(text, from: device.address, to: syslogAddress)
                }
            }
        }
        if notify.trap, let trapAddress, let trap = LabTrap.trap(for: event, uptime: uptime, index: history) {
            let id = requestID.withLock { id -> Int32 in
                id = id == Int32.max ? 1 : id + 1
                return id
            }
            sendDatagram(trap.encoded(community: community, requestID: id), from: device.address, to: trapAddress,
                what: "trap")
        }
    }

    private func sendDatagram(_ bytes: [UInt8], from source: String, to target: SocketAddress, what: String) {
        guard let channel = udp.withLock({ $0[source] }) else {
            log("netraven-lab: no UDP socket for \(source); \(what) not sent")
            return
        }
        let envelope = AddressedEnvelope(remoteAddress: target, data: channel.allocator.buffer(bytes: bytes))
        let log = self.log
        channel.writeAndFlush(envelope).whenFailure { error in
            log("netraven-lab: \(what) from \(source) to \(target) failed: \(error)")
        }
    }

    /// RFC 6587 octet counting: `LEN SP MSG`, no trailer.
    private func sendStream(_ text: String, from source: String, to target: SocketAddress) {
        let frame = "\(text.utf8.count) \(text)"
        let log = self.log
        connection(from: source, to: target).whenComplete { result in
            switch result {
            case .success(let channel):
                channel.writeAndFlush(channel.allocator.buffer(string: frame)).whenFailure { error in
                    log("netraven-lab: syslog over TCP from \(source) failed: \(error)")
                    channel.close(promise: nil)
                }
            case .failure(let error):
                log("netraven-lab: syslog over TCP from \(source) to \(target): cannot connect: \(error)")
            }
        }
    }

    private func connection(from source: String, to target: SocketAddress) -> EventLoopFuture<any Channel> {
        let tcp = self.tcp
        var created: EventLoopFuture<any Channel>?
        let future = tcp.withLock { open -> EventLoopFuture<any Channel> in
            if let existing = open[source] { return existing }
            let bootstrap = ClientBootstrap(group: group)
                .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            let new: EventLoopFuture<any Channel>
            if let local = try? SocketAddress(ipAddress: source, port: 0) {
                new = bootstrap.bind(to: local).connect(to: target)
            } else {
                new = bootstrap.connect(to: target)
            }
            open[source] = new
            created = new
            return new
        }
        // Registered outside the lock: a callback may run inline and take the lock itself.
        if let created {
            // Forget the connection when it fails or closes, so the next message reconnects.
            created.whenComplete { result in
                switch result {
                case .success(let channel):
                    channel.closeFuture.whenComplete { _ in
                        tcp.withLock { if $0[source] === created { $0[source] = nil } }
                    }
                case .failure:
                    tcp.withLock { if $0[source] === created { $0[source] = nil } }
                }
            }
        }
        return future
    }

    /// Closes every socket.
    func shutdown() async {
        let datagrams = udp.withLock { d in defer { d.removeAll() }; return Array(d.values) }
        let streams = tcp.withLock { d in defer { d.removeAll() }; return Array(d.values) }
        for channel in datagrams { try? await channel.close() }
        for future in streams {
            if let channel = try? await future.get() { try? await channel.close() }
        }
    }
}
