import NetRavenCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

extension SyslogListener {
    /// UDP datagrams can be as long as 65,507 bytes; the read buffer holds one byte more than the maximum message
    /// so that a longer datagram (truncated by the kernel) is recognised as too long.
    static func bindDatagram(
        at address: ListenAddress, settings: SyslogSettings, group: any EventLoopGroup
    ) async throws -> DatagramChannel {
        let capacity = min(settings.maxMessageBytes + 1, 65_536)
        do {
            return try await DatagramBootstrap(group: group)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelOption(
                    .socketOption(.so_rcvbuf), value: SocketOptionValue(clamping: settings.receiveBufferBytes))
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: capacity))
                .bind(host: address.host, port: address.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try DatagramChannel(
                            wrappingChannelSynchronously: channel,
                            configuration: .init(backPressureStrategy: .init(lowWatermark: 16, highWatermark: 64)))
                    }
                }
        } catch {
            throw SyslogListenerError(
                code: .bindFailed, message: "cannot listen for syslog on UDP \(address)", underlying: error)
        }
    }

    /// The receive buffer the kernel granted; as root, `SO_RCVBUFFORCE` is tried when `net.core.rmem_max` capped
    /// the request.
    static func grantReceiveBuffer(_ channel: any Channel, requested: Int) async throws -> Int {
        let option = ChannelOptions.socketOption(.so_rcvbuf)
        var granted = Int(try await channel.getOption(option).get())
        #if os(Linux)
        // Linux reports twice the size it granted (its bookkeeping overhead): a full grant reads back as 2x.
        if granted < 2 * requested {
            let force = ChannelOptions.Types.SocketOption(level: .socket, name: .init(rawValue: 33))  // SO_RCVBUFFORCE
            if (try? await channel.setOption(force, value: SocketOptionValue(clamping: requested)).get()) != nil {
                granted = Int(try await channel.getOption(option).get())
            }
        }
        #endif
        return granted
    }

    /// A TCP or TLS server whose connections deliver `SyslogFrame`s, with at most two waiting per connection.
    static func bindStream(
        at address: ListenAddress, transport: SyslogTransport, ssl: NIOSSLContext?, settings: SyslogSettings,
        state: NIOLockedValueBox<State>, group: any EventLoopGroup
    ) async throws -> ConnectionServer {
        let idleTimeout = TimeAmount.nanoseconds(
            settings.idleTimeout.components.seconds * 1_000_000_000
                + settings.idleTimeout.components.attoseconds / 1_000_000_000)
        let maxMessageBytes = settings.maxMessageBytes
        do {
            return try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 256)
                .childChannelOption(.socketOption(.so_keepalive), value: 1)
                .bind(host: address.host, port: address.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        if let ssl { try pipeline.addHandler(NIOSSLServerHandler(context: ssl)) }
                        try pipeline.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                        try pipeline.addHandler(
                            IdleConnectionCloser { state.withLockedValue { $0.counters.connectionsTimedOut += 1 } })
                        try pipeline.addHandler(
                            ByteToMessageHandler(SyslogFrameDecoder(maxMessageBytes: maxMessageBytes)))
                        // Low watermarks: the socket is read again only when the handler has taken the messages.
                        let connection = try Connection(
                            wrappingChannelSynchronously: channel,
                            configuration: .init(backPressureStrategy: .init(lowWatermark: 1, highWatermark: 2)))
                        let peer = channel.remoteAddress.map(SyslogListener.peerText) ?? "unknown"
                        return AcceptedConnection(peer: peer, channel: connection)
                    }
                }
        } catch {
            throw SyslogListenerError(
                code: .bindFailed, message: "cannot listen for syslog on \(transport.rawValue.uppercased()) \(address)",
                underlying: error)
        }
    }

    /// The server side of RFC 5425: certificate chain and key, and when a client CA is set, senders must present a
    /// certificate it signed (hostnames are not checked: devices rarely have one that matches).
    static func makeSSLContext(_ tls: SyslogSettings.TLS) throws -> NIOSSLContext {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(tls.certificatePath).map {
                NIOSSLCertificateSource.certificate($0)
            }
            guard !chain.isEmpty else {
                throw SyslogListenerError(
                    code: .tlsConfiguration, message: "no PEM certificate in \(tls.certificatePath)")
            }
            let key = try NIOSSLPrivateKey(file: tls.keyPath, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain, privateKey: .privateKey(key))
            configuration.minimumTLSVersion = .tlsv12
            if let clientCA = tls.clientCAPath {
                configuration.certificateVerification = .noHostnameVerification
                configuration.trustRoots = .file(clientCA)
            }
            return try NIOSSLContext(configuration: configuration)
        } catch let error as SyslogListenerError {
            throw error
        } catch {
            // The key's contents never reach the message: only the file names and the library's reason.
            throw SyslogListenerError(
                code: .tlsConfiguration,
                message: "cannot load the syslog TLS certificate \(tls.certificatePath) or key \(tls.keyPath)"
                    + (tls.clientCAPath.map { " or client CA \($0)" } ?? ""),
                underlying: error)
        }
    }
}
