import NIOCore
import NIOSSH

/// Checks a login against the device's credentials and its `rejectAuth` fault.
final class DevicePasswordDelegate: NIOSSHServerUserAuthenticationDelegate, Sendable {
    let device: LabDevice

    init(device: LabDevice) { self.device = device }

    var supportedAuthenticationMethods: NIOSSHAvailableUserAuthenticationMethods { .password }

    func requestReceived(
        request: NIOSSHUserAuthenticationRequest,
        responsePromise: EventLoopPromise<NIOSSHUserAuthenticationOutcome>
    ) {
        guard case .password(let p) = request.request, !device.faults.rejectAuth,
            request.username == device.username, p.password == device.password
        else {
            responsePromise.succeed(.failure)
            return
        }
        responsePromise.succeed(.success)
    }
}

/// The SSH session channel of one login: answers pty/shell/exec requests and runs a ``DeviceShell``.
///
/// Output goes out in 1 KiB chunks when the `slowMs` fault is set, each after that delay; otherwise at once.
final class SSHShellHandler: ChannelDuplexHandler {
    typealias InboundIn = SSHChannelData
    typealias OutboundIn = Never
    typealias OutboundOut = SSHChannelData

    private let device: LabDevice
    private let user: String
    private var shell: DeviceShell?
    /// The terminal line this session holds while its shell is open.
    private var line: Int?
    private var queue: [ByteBuffer] = []
    private var closeAfterQueue = false
    private var pumping = false

    init(device: LabDevice, user: String) {
        self.device = device
        self.user = user
    }

    func handlerAdded(context: ChannelHandlerContext) {
        _ = context.channel.setOption(ChannelOptions.allowRemoteHalfClosure, value: true)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if device.faults.hang { return }  // accepted the login, never answers anything after it
        switch event {
        case let e as SSHChannelRequestEvent.PseudoTerminalRequest:
            reply(context, e.wantReply, true)
        case let e as SSHChannelRequestEvent.EnvironmentRequest:
            reply(context, e.wantReply, false)
        case let e as SSHChannelRequestEvent.ShellRequest:
            reply(context, e.wantReply, true)
            let line = device.openLine()
            self.line = line
            let s = DeviceShell(device: device, user: user, peer: Self.peer(context), line: line)
            perform(s.greeting(), context: context)
            shell = s
        case let e as SSHChannelRequestEvent.ExecRequest:
            // One command without a prompt, as `ssh host 'show version'` does on the real boxes.
            reply(context, e.wantReply, true)
            var s = DeviceShell(device: device, user: user, peer: Self.peer(context))
            var actions = s.receive(Array(("terminal length 0\n" + e.command + "\n").utf8))
            actions = actions.map {
                guard case .send(let text) = $0 else { return $0 }
                return .send(Self.stripEchoAndPrompt(text, command: e.command, prompt: s.prompt))
            }
            // A stalled session stays open without its end, as a wedged device's does.
            perform(s.stalled ? actions : actions + [.close], context: context)
        case is SSHChannelRequestEvent.WindowChangeRequest:
            break
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// The SSH client's IP address: the connection is the session channel's parent.
    private static func peer(_ context: ChannelHandlerContext) -> String? {
        context.channel.parent?.remoteAddress?.ipAddress
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // A session that drops out of configuration mode still records what it did, as a vty disconnect does.
        shell?.disconnect()
        shell = nil
        if let line { device.closeLine(line) }
        line = nil
    }

    private static func stripEchoAndPrompt(_ text: String, command: String, prompt: String) -> String {
        var t = text
        if let r = t.range(of: command + "\r\n") { t = String(t[r.upperBound...]) }
        if t.hasSuffix(prompt) { t = String(t.dropLast(prompt.count)) }
        return t
    }

    private func reply(_ context: ChannelHandlerContext, _ wantReply: Bool, _ ok: Bool) {
        guard wantReply else { return }
        if ok {
            context.triggerUserOutboundEvent(ChannelSuccessEvent(), promise: nil)
        } else {
            context.triggerUserOutboundEvent(ChannelFailureEvent(), promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .channel = message.type, case .byteBuffer(let buffer) = message.data, shell != nil else { return }
        let actions = shell!.receive(buffer.readableBytesView)
        perform(actions, context: context)
    }

    func userInboundEventTriggeredHalfClose(context: ChannelHandlerContext) {
        context.close(promise: nil)
    }

    private func perform(_ actions: [ShellAction], context: ChannelHandlerContext) {
        for action in actions {
            switch action {
            case .send(let text):
                var bytes = Substring(text).utf8[...]
                let chunk = device.faults.slowMs > 0 ? 1024 : 65_536
                while !bytes.isEmpty {
                    let piece = bytes.prefix(chunk)
                    queue.append(context.channel.allocator.buffer(bytes: piece))
                    bytes = bytes.dropFirst(piece.count)
                }
            case .close:
                closeAfterQueue = true
            }
        }
        pump(context: context)
    }

    private func pump(context: ChannelHandlerContext) {
        guard !pumping else { return }
        let delay = device.faults.slowMs
        if delay <= 0 {
            for buffer in queue {
                context.write(wrapOutboundOut(SSHChannelData(type: .channel, data: .byteBuffer(buffer))), promise: nil)
            }
            queue.removeAll()
            context.flush()
            finishIfDone(context: context)
            return
        }
        guard !queue.isEmpty else {
            finishIfDone(context: context)
            return
        }
        pumping = true
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: .milliseconds(Int64(delay))) {
            let (handler, context) = loopBound.value
            handler.pumping = false
            guard !handler.queue.isEmpty, context.channel.isActive else { return }
            let buffer = handler.queue.removeFirst()
            context.writeAndFlush(
                handler.wrapOutboundOut(SSHChannelData(type: .channel, data: .byteBuffer(buffer))), promise: nil)
            handler.pump(context: context)
        }
    }

    private func finishIfDone(context: ChannelHandlerContext) {
        guard closeAfterQueue, queue.isEmpty else { return }
        closeAfterQueue = false
        // Devices end the whole connection when the session ends (or when a fault cuts it).
        let parent = context.channel.parent
        context.close(promise: nil)
        parent?.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
