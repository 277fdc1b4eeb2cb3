internal import CNetSNMP
internal import CNetSNMPShims
import Dispatch
import Foundation
public import NetRavenCore
import Synchronization

/// Receives SNMP traps and informs (v1, v2c, v3 USM) on one UDP socket, on a dedicated thread that owns the
/// net-snmp session: `snmp_sess_select_info` → select → `snmp_sess_read` / `snmp_sess_timeout`.
///
/// The handler runs on that thread, one trap at a time. It returns true once the trap is accepted (journaled):
/// only then is an inform answered, so a sender retries what was not stored. Communities are checked here (the
/// library does not); USM failures are counted and never delivered. net-snmp's USM user list is per process:
/// run one receiver per process (tests run them one after another).
public final class TrapReceiver: Sendable {
    /// Called on the receiver's thread for every accepted trap; true = accepted (journaled), which acks informs.
    public typealias Handler = @Sendable (ReceivedTrap) -> Bool

    private let settings: SNMPSettings
    private let stateDirectory: String
    private let context: TrapReceiverContext
    private let state = Mutex<State>(.idle)

    private enum State {
        case idle
        case running(RunningSession)
        case stopped
    }

    /// - Parameters:
    ///   - settings: the `snmp:` section (listen address, communities, users).
    ///   - stateDirectory: where net-snmp keeps its engine id and boot counter (never /var/lib/snmp), e.g.
    ///     `<state_dir>/snmp`; created with mode 0700.
    ///   - handler: see `Handler`.
    public init(settings: SNMPSettings, stateDirectory: String, handler: @escaping Handler) {
        self.settings = settings
        self.stateDirectory = stateDirectory
        self.context = TrapReceiverContext(communities: settings.communities, handler: handler)
    }

    deinit { stop() }

    /// Binds the socket, installs the users and starts the owning thread.
    /// - Returns: the bound UDP port (the configured one, or the kernel's choice for port 0).
    /// - Throws: `SNMPError` (`bindFailed`, `userRejected`, `libraryFailure`, `alreadyStarted`).
    @discardableResult
    public func start() throws -> Int {
        try state.withLock { state in
            guard case .idle = state else {
                throw SNMPError(code: .alreadyStarted, message: "the trap receiver was already started")
            }
            let session = try RunningSession.open(
                settings: settings, stateDirectory: stateDirectory, context: context)
            state = .running(session)
            return session.port
        }
    }

    /// The bound port while running.
    public var port: Int? {
        state.withLock { state in
            if case .running(let session) = state { return session.port }
            return nil
        }
    }

    /// Our SNMP engine id as hex: informs' senders discover it; v3 traps use the sender's own instead.
    public var localEngineID: String {
        NetSNMPLibrary.localEngineID().map { String(format: "%02x", $0) }.joined()
    }

    /// A snapshot of the counters.
    public var counters: TrapReceiverCounters {
        var counters = context.counters.withLock { $0 }
        counters.usmFailures += max(0, NetSNMPLibrary.usmRejections() - context.usmBaseline)
        return counters
    }

    /// Stops the thread (it returns promptly: a byte on its wake-up pipe ends its select), closes the session and
    /// removes the users. Safe to call more than once.
    public func stop() {
        let session: RunningSession? = state.withLock { state in
            defer { state = .stopped }
            if case .running(let session) = state { return session }
            return nil
        }
        session?.stop()
    }
}

/// What the session callback needs; the callback gets it through `callback_magic`.
///
/// `@unchecked Sendable`: `communities` and `handler` are immutable; `counters` is behind its Mutex; the
/// callback only runs on the owning thread.
final class TrapReceiverContext: @unchecked Sendable {
    let communities: [SNMPCommunity]
    let handler: TrapReceiver.Handler
    let counters = Mutex(TrapReceiverCounters())
    /// The session handle for sending inform responses; set before the thread starts, read only by it.
    var session: UnsafeMutableRawPointer?
    /// The library's USM rejection count when the session opened (its statistics are per process).
    var usmBaseline = 0

    init(communities: [SNMPCommunity], handler: @escaping TrapReceiver.Handler) {
        self.communities = communities
        self.handler = handler
    }

    private func count(_ update: (inout TrapReceiverCounters) -> Void) {
        counters.withLock { update(&$0) }
    }

    /// One message from the session, on the owning thread.
    func received(_ pdu: UnsafeMutablePointer<netsnmp_pdu>) {
        let message = TrapPDU(pdu: pdu)
        let command = message.command
        let isTrap1 = command == Int32(NR_SNMP_MSG_TRAP.rawValue)
        let isTrap2 = command == Int32(NR_SNMP_MSG_TRAP2.rawValue)
        let isInform = command == Int32(NR_SNMP_MSG_INFORM.rawValue)
        let version: ReceivedTrap.Version
        var communityName: String?
        switch message.version {
        case Int(SNMP_VERSION_3):
            // USM failures arrive here as command 0 without varbinds, already counted in the library's USM
            // statistics (read by `counters`); noAuthNoPriv is refused here and counted as a USM failure too.
            guard command != 0 else { return }
            guard isTrap2 || isInform else {
                count { $0.malformed += 1 }
                return
            }
            guard message.securityLevel >= SNMP_SEC_LEVEL_AUTHNOPRIV else {
                count { $0.usmFailures += 1 }
                return
            }
            version = .v3
        case Int(SNMP_VERSION_1), Int(SNMP_VERSION_2c):
            let presented = message.community
            guard let match = communities.first(where: { Array($0.secret.value.utf8) == presented }) else {
                count { $0.badCommunity += 1 }
                return
            }
            communityName = match.name
            version = message.version == Int(SNMP_VERSION_1) ? .v1 : .v2c
            guard version == .v1 ? isTrap1 : (isTrap2 || isInform) else {
                count { $0.malformed += 1 }
                return
            }
        default:
            count { $0.malformed += 1 }
            return
        }
        guard var trap = message.trap(version: version, peerAddress: message.peerAddress ?? "unknown") else {
            count { $0.malformed += 1 }
            return
        }
        trap.communityName = communityName
        trap.user = version == .v3 ? message.securityName : nil
        count {
            switch version {
            case .v1: $0.receivedV1 += 1
            case .v2c: $0.receivedV2c += 1
            case .v3: $0.receivedV3 += 1
            }
        }
        guard handler(trap) else {
            count { $0.rejectedByHandler += 1 }
            return
        }
        if isInform, acknowledge(pdu) { count { $0.informsAcknowledged += 1 } }
    }

    /// Sends the Response to an inform: a clone of it (same request id, security parameters and peer).
    private func acknowledge(_ pdu: UnsafeMutablePointer<netsnmp_pdu>) -> Bool {
        guard let session, let reply = snmp_clone_pdu(pdu) else { return false }
        reply.pointee.command = Int32(NR_SNMP_MSG_RESPONSE.rawValue)
        reply.pointee.errstat = 0
        reply.pointee.errindex = 0
        if snmp_sess_send(session, reply) == 0 {
            snmp_free_pdu(reply)
            return false
        }
        return true
    }
}

/// The session callback: a C function pointer, so it finds its receiver through `callback_magic`.
private func receiveCallback(
    operation: Int32, session: UnsafeMutablePointer<netsnmp_session>?, requestID: Int32,
    pdu: UnsafeMutablePointer<netsnmp_pdu>?, magic: UnsafeMutableRawPointer?
) -> Int32 {
    guard operation == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, let pdu, let magic else { return 1 }
    Unmanaged<TrapReceiverContext>.fromOpaque(magic).takeUnretainedValue().received(pdu)
    return 1
}

/// An open session and its owning thread.
///
/// `@unchecked Sendable`: `handle` is used only by the owning thread (and by `open` before the thread starts);
/// the other fields are immutable after `open`.
final class RunningSession: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    let port: Int
    let wakeRead: Int32
    let wakeWrite: Int32
    let users: [(engineID: [UInt8], name: String)]
    let finished = DispatchSemaphore(value: 0)
    let context: TrapReceiverContext

    private init(
        handle: UnsafeMutableRawPointer, port: Int, wake: (Int32, Int32), users: [(engineID: [UInt8], name: String)],
        context: TrapReceiverContext
    ) {
        self.handle = handle
        self.port = port
        self.wakeRead = wake.0
        self.wakeWrite = wake.1
        self.users = users
        self.context = context
    }

    static func open(settings: SNMPSettings, stateDirectory: String, context: TrapReceiverContext) throws
        -> RunningSession
    {
        try NetSNMPLibrary.initialize(stateDirectory: stateDirectory)
        let users = try NetSNMPLibrary.add(settings.users)
        var created = false
        defer { if !created { NetSNMPLibrary.remove(users) } }

        guard let transport = netsnmp_transport_open_server(NetSNMPLibrary.application, settings.transportSpecifier)
        else {
            throw SNMPError(
                code: .bindFailed,
                message: "cannot listen for SNMP traps on \(settings.listenAddress) UDP \(settings.listenPort) "
                    + "(in use, a privileged port without CAP_NET_BIND_SERVICE, or not a local address)")
        }
        let port = boundPort(transport.pointee.sock) ?? settings.listenPort
        var template = netsnmp_session()
        snmp_sess_init(&template)
        template.callback = receiveCallback
        template.callback_magic = Unmanaged.passUnretained(context).toOpaque()
        // Per message: authoritative for informs (our engine id), not for traps (the sender's), as snmptrapd does.
        template.isAuthoritative = u_char(SNMP_SESS_UNKNOWNAUTH)
        guard let handle = snmp_sess_add(&template, transport, nil, nil) else {
            throw SNMPError(code: .libraryFailure, message: "net-snmp could not create the trap session")
        }
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            snmp_sess_close(handle)
            throw SNMPError(code: .libraryFailure, message: "cannot create the receiver's wake-up pipe: errno \(errno)")
        }
        context.session = handle
        context.usmBaseline = NetSNMPLibrary.usmRejections()
        let session = RunningSession(
            handle: handle, port: port, wake: (pipeEnds[0], pipeEnds[1]), users: users, context: context)
        let thread = Thread { session.run() }
        thread.name = "netraven-snmp"
        thread.start()
        created = true
        return session
    }

    private static func boundPort(_ socket: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) == 0 }
        }
        guard ok else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin6_port))
                }
            }
        default:
            return nil
        }
    }

    /// The owning thread's loop.
    private func run() {
        while true {
            let result = nr_snmp_sess_wait(handle, wakeRead)
            if result == Int32(NR_SNMP_WAIT_WOKEN.rawValue) || result == Int32(NR_SNMP_WAIT_FAILED.rawValue) { break }
        }
        snmp_sess_close(handle)
        finished.signal()
    }

    func stop() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        finished.wait()
        close(wakeRead)
        close(wakeWrite)
        NetSNMPLibrary.remove(users)
    }
}
