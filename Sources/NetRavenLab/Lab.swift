import Foundation
import NIOCore
import NIOPosix
import NIOSSH

/// A set of simulated devices served over SSH, plus the HTTP control API, on one event loop group.
///
/// `start()` binds everything and returns the ports; `shutdown()` closes listeners and open sessions.
public final class Lab: Sendable {
    /// The configuration the lab was built from.
    public let configuration: LabConfiguration
    /// The devices, in order (`r1` first).
    public let devices: [LabDevice]
    private let byName: [String: LabDevice]
    private let group: MultiThreadedEventLoopGroup
    private let channels = Locked<[ObjectIdentifier: any Channel]>([:])
    private let listeners = Locked<[any Channel]>([])
    private let emitter = Locked<LabEmitter?>(nil)

    /// Builds the devices (generating or loading their configs and host keys); binds nothing yet.
    public init(configuration: LabConfiguration) throws {
        guard configuration.devices >= 0, !configuration.platforms.isEmpty else {
            throw LabError(.invalidArgument, "need at least one platform and a non-negative device count")
        }
        self.configuration = configuration
        if let dir = configuration.stateDirectory {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        let now = Date().timeIntervalSince1970
        var devices: [LabDevice] = []
        // Identical (platform, size) configs differ only by hostname; generating once per device is fine at
        // the sizes used (1,000 x 4 KB), and keeps every device's text its own.
        for i in stride(from: 1, through: configuration.devices, by: 1) {
            let platform = configuration.platforms[(i - 1) % configuration.platforms.count]
            let name = "\(configuration.namePrefix)\(i)"
            var config: String?
            if let dir = configuration.configsDirectory {
                config = try? String(contentsOfFile: "\(dir)/\(name).cfg", encoding: .utf8)
            }
            let text = config
                ?? ConfigGenerator(platform: platform, hostname: name, targetBytes: configuration.configSize).generate()
            devices.append(
                try LabDevice(
                    name: name, platform: platform, index: i, username: configuration.username,
                    password: configuration.password, enablePassword: configuration.enablePassword, config: text,
                    hostKeyFile: configuration.stateDirectory.map { "\($0)/\(name).ed25519" }, now: now,
                    address: try configuration.address(ofDevice: i), notify: configuration.notify))
        }
        self.devices = devices
        byName = Dictionary(uniqueKeysWithValues: devices.map { ($0.name, $0) })
        let threads = configuration.threads > 0 ? configuration.threads : System.coreCount
        group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
    }

    /// The device with this hostname, if any.
    public func device(named name: String) -> LabDevice? { byName[name] }

    /// Calls `listener` after every configuration change on any device (the hook for syslog / traps).
    public func onChange(_ listener: (@Sendable (LabChangeEvent) -> Void)?) {
        for d in devices { d.onChange(listener) }
    }

    /// Binds every device and the control API; returns the ports. When a bind fails, the lab shuts itself down
    /// (listeners already bound are closed, the event loops stop) before the error is thrown: callers need no cleanup.
    public func start() async throws -> LabEndpoints {
        do {
            return try await bindAll()
        } catch {
            try? await shutdown()
            throw error
        }
    }

    private func bindAll() async throws -> LabEndpoints {
        try await startEmitter()
        var endpoints: [LabEndpoints.Device] = []
        for (i, device) in devices.enumerated() {
            let port = configuration.basePort == 0 ? 0 : configuration.basePort + i
            let channel = try await bindDevice(device, port: port)
            let bound = channel.localAddress?.port ?? port
            device.state.withLock { $0.port = bound }
            endpoints.append(
                .init(name: device.name, platform: device.platform.rawValue, port: bound, host: device.address))
        }
        var control: Int?
        if let controlPort = configuration.controlPort {
            let channel = try await ControlServer(lab: self).bind(
                group: group, host: configuration.host, port: controlPort)
            listeners.withLock { $0.append(channel) }
            control = channel.localAddress?.port
        }
        return LabEndpoints(control: control, devices: endpoints)
    }

    private func bindDevice(_ device: LabDevice, port: Int) async throws -> any Channel {
        let channels = self.channels
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                let id = ObjectIdentifier(channel)
                channels.withLock { $0[id] = channel }
                channel.closeFuture.whenComplete { _ in _ = channels.withLock { $0.removeValue(forKey: id) } }
                return channel.eventLoop.makeCompletedFuture {
                    let config = SSHServerConfiguration(
                        hostKeys: [NIOSSHPrivateKey(ed25519Key: device.hostKey)],
                        userAuthDelegate: DevicePasswordDelegate(device: device))
                    let handler = NIOSSHHandler(
                        role: .server(config), allocator: channel.allocator,
                        inboundChildChannelInitializer: { child, type in
                            guard case .session = type else {
                                return child.eventLoop.makeFailedFuture(LabError(.invalidArgument, "no forwarding"))
                            }
                            return child.eventLoop.makeCompletedFuture {
                                try child.pipeline.syncOperations.addHandler(
                                    SSHShellHandler(device: device, user: device.username))
                            }
                        })
                    try channel.pipeline.syncOperations.addHandlers([handler, ConnectionErrorHandler()])
                }
            }
        do {
            let channel = try await bootstrap.bind(host: device.address, port: port).get()
            listeners.withLock { $0.append(channel) }
            return channel
        } catch {
            throw LabError(.bind, "\(device.name): cannot listen on \(device.address):\(port): \(error)")
        }
    }

    /// With a syslog or trap target, binds the senders and connects every device's events to them.
    private func startEmitter() async throws {
        guard configuration.syslogTarget != nil || configuration.trapTarget != nil else { return }
        let emitter = LabEmitter(
            group: group, syslogTarget: configuration.syslogTarget, trapTarget: configuration.trapTarget,
            community: configuration.trapCommunity, log: { log($0) })
        self.emitter.withLock { $0 = emitter }
        try await emitter.start(sourceAddresses: devices.map(\.address))
        for device in devices {
            // Weak: the device keeps the closure, and the closure must not keep the device.
            device.onEvent { [weak device] event in
                if let device { emitter.send(event, device: device) }
            }
        }
    }

    /// Closes every listener and open connection, then stops the event loops. Safe to call once.
    public func shutdown() async throws {
        if let emitter = emitter.withLock({ e in defer { e = nil }; return e }) { await emitter.shutdown() }
        let open = listeners.withLock { l in defer { l.removeAll() }; return l }
            + channels.withLock { c in defer { c.removeAll() }; return Array(c.values) }
        for channel in open {
            try? await channel.close()
        }
        try await group.shutdownGracefully()
    }
}

/// Closes a connection on any pipeline error (clients vanish mid-handshake; that is not the lab's problem).
final class ConnectionErrorHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = Any

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
