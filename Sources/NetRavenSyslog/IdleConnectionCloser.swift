import NIOCore

/// Closes a connection when the `IdleStateHandler` before it reports no reads for the idle timeout, so dead
/// senders (a device rebooted without closing its TCP session) do not hold connection slots forever.
final class IdleConnectionCloser: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    private let onTimeout: @Sendable () -> Void

    init(onTimeout: @escaping @Sendable () -> Void) {
        self.onTimeout = onTimeout
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            onTimeout()
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
