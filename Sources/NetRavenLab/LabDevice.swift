import Crypto
import Foundation

/// One simulated network device: identity, credentials, running configuration, faults and host key.
///
/// Shared by the SSH sessions (event loops), the control API and tests; all mutable state sits behind one lock.
/// Sessions take a snapshot of the configuration per command, so a 200 KB configuration is not copied per
/// session (Swift strings share storage until written).
public final class LabDevice: Sendable {
    /// Hostname, also the name in the inventory and the control API.
    public let name: String
    /// Emulated platform.
    public let platform: LabPlatform
    /// 1-based position in the lab; seeds the serial number.
    public let index: Int
    /// Login user name.
    public let username: String
    /// Login password.
    public let password: String
    /// `enable` password (IOS, EOS; empty means EOS enables without asking).
    public let enablePassword: String
    /// Serial number printed by `show version` / `show chassis hardware`.
    public let serial: String
    /// The address the device listens on for SSH and sends its syslog messages and traps from.
    public let address: String

    struct State {
        var config: String
        var startupConfig: String
        var changeCount = 0
        var lastChangeUser = "jdoe"
        var lastChangeTime: Double
        var lastSaveTime: Double
        var faults = LabFaults()
        var hostKey: Curve25519.Signing.PrivateKey
        var port = 0
        var notify = LabNotifySettings()
        /// Terminal lines (`vty0`, `pts/0`, ...) held by open sessions; a new session takes the lowest free one.
        var openLines: Set<Int> = []
    }

    let state: Locked<State>
    let bootTime: Double
    private let hostKeyFile: String?
    private let listener: Locked<(@Sendable (LabChangeEvent) -> Void)?> = Locked(nil)
    private let eventSink: Locked<(@Sendable (LabChangeEvent) -> Void)?> = Locked(nil)

    init(
        name: String, platform: LabPlatform, index: Int, username: String, password: String,
        enablePassword: String, config: String, hostKeyFile: String?, now: Double, address: String = "127.0.0.1",
        notify: LabNotifySettings = LabNotifySettings()
    ) throws {
        self.name = name
        self.platform = platform
        self.index = index
        self.username = username
        self.password = password
        self.enablePassword = enablePassword
        self.serial = platform.serial(index: index)
        self.hostKeyFile = hostKeyFile
        self.address = address
        self.bootTime = now - 86_400 * 87 - 3600 * 4 - 60 * Double(index % 60)
        let key = try Self.loadOrCreateKey(file: hostKeyFile)
        let body = ConfigRenderer.stripVolatile(config, platform: platform)
        state = Locked(
            State(
                config: body, startupConfig: body, lastChangeTime: now - 3600 * 5 - Double(index * 37),
                lastSaveTime: now - 3600 * 5 - Double(index * 37) + 6, hostKey: key, notify: notify
            ))
    }

    // MARK: Configuration

    /// The running configuration as the lab stores it: the body without the volatile header lines a
    /// device prints around it (see docs/lab.md for what each platform adds at show time).
    public var config: String { state.withLock { $0.config } }

    /// The number of changes made through ``setConfig(_:user:source:)`` and ``applyChange(_:)``.
    public var changeCount: Int { state.withLock { $0.changeCount } }

    /// The TCP port the device listens on (0 before the lab starts).
    public var port: Int { state.withLock { $0.port } }

    /// What `show running-config` (Junos: `show configuration`) prints right now, with "\n" line ends.
    public func renderedConfig() -> String {
        ConfigRenderer(device: self).runningConfig(now: Date().timeIntervalSince1970)
    }

    /// Replaces the whole running configuration, as a config replace / commit by `user` would.
    public func setConfig(_ text: String, user: String = "admin", source: String? = nil) {
        let body = ConfigRenderer.stripVolatile(text, platform: platform)
        let event = state.withLock { s -> LabChangeEvent in
            s.config = body
            return recordChange(&s, user: user, source: source)
        }
        notify(event)
        publish(event)
    }

    /// Edits the running configuration line by line, as an engineer would, and records who did it.
    public func applyChange(_ change: LabConfigChange) {
        let event = state.withLock { s -> LabChangeEvent in
            s.config = ConfigEditor(platform: platform).apply(change, to: s.config)
            return recordChange(&s, user: change.user, source: change.source)
        }
        notify(event)
        publish(event)
    }

    /// Copies running to startup (`copy running-config startup-config` / `write memory`) and reports a save.
    func saveConfig(user: String, source: String?, line: Int?) {
        let event = state.withLock { s -> LabChangeEvent in
            let now = Date().timeIntervalSince1970
            s.startupConfig = s.config
            s.lastSaveTime = now
            return LabChangeEvent(
                device: name, platform: platform, user: user, source: source, changeCount: s.changeCount, time: now,
                kind: .saved, channel: .cli, line: line)
        }
        publish(event)
    }

    /// Edits the running configuration in place without recording a change: a configuration-mode session
    /// applies each line as it is typed, and records the change when it leaves (see ``recordSession``).
    func editConfig(_ transform: (String) -> String) {
        state.withLock { $0.config = transform($0.config) }
    }

    /// Records what a configuration-mode session did when it ends (Cisco-like `end`, Junos `commit`): a change
    /// when `changed`, and in any case the event the platform reports.
    func recordSession(user: String, source: String?, line: Int?, changed: Bool, comment: String? = nil) {
        let event = state.withLock { s -> LabChangeEvent in
            var event: LabChangeEvent
            if changed {
                event = recordChange(&s, user: user, source: source)
            } else {
                event = LabChangeEvent(
                    device: name, platform: platform, user: user, source: source, changeCount: s.changeCount,
                    time: Date().timeIntervalSince1970)
                event.changed = false
            }
            event.channel = .cli
            event.line = line
            event.comment = comment
            return event
        }
        if changed { notify(event) }
        publish(event)
    }

    /// Reports a session event that is not a change (entering/leaving config mode, one logged command).
    func report(_ kind: LabChangeEvent.Kind, user: String, source: String?, line: Int?, command: String? = nil) {
        let count = changeCount
        publish(LabChangeEvent(
            device: name, platform: platform, user: user, source: source, changeCount: count,
            time: Date().timeIntervalSince1970, kind: kind, channel: .cli, line: line, changed: false,
            command: command))
    }

    private func recordChange(_ s: inout State, user: String, source: String?) -> LabChangeEvent {
        let now = Date().timeIntervalSince1970
        s.changeCount += 1
        s.lastChangeUser = user
        // Strictly later than the previous change so the volatile line always differs.
        s.lastChangeTime = max(now, s.lastChangeTime + 1)
        return LabChangeEvent(
            device: name, platform: platform, user: user, source: source, changeCount: s.changeCount,
            time: s.lastChangeTime)
    }

    // MARK: Sessions and notifications

    /// Takes the lowest free terminal line for a new session.
    func openLine() -> Int {
        state.withLock { s in
            var n = 0
            while s.openLines.contains(n) { n += 1 }
            s.openLines.insert(n)
            return n
        }
    }

    /// Frees a terminal line when its session ends.
    func closeLine(_ line: Int) {
        _ = state.withLock { $0.openLines.remove(line) }
    }

    /// Which notifications (syslog, trap) the device sends.
    public var notifySettings: LabNotifySettings { state.withLock { $0.notify } }

    /// Changes which notifications the device sends, from the next event on.
    public func setNotifySettings(_ settings: LabNotifySettings) {
        state.withLock { $0.notify = settings }
    }

    /// Called for every event the device reports (changes, saves, config mode, logged commands), off the lock;
    /// the lab's emitter turns them into syslog messages and traps.
    public func onEvent(_ sink: (@Sendable (LabChangeEvent) -> Void)?) {
        eventSink.withLock { $0 = sink }
    }

    private func publish(_ event: LabChangeEvent) {
        if let sink = eventSink.withLock({ $0 }) { sink(event) }
    }

    /// Called after every configuration change (control API, library, or a session), off the lock.
    /// The hook for the later syslog / trap emitter.
    public func onChange(_ listener: (@Sendable (LabChangeEvent) -> Void)?) {
        self.listener.withLock { $0 = listener }
    }

    private func notify(_ event: LabChangeEvent) {
        if let l = listener.withLock({ $0 }) { l(event) }
    }

    // MARK: Faults

    /// The faults in force.
    public var faults: LabFaults {
        get { state.withLock { $0.faults } }
    }

    /// Replaces the faults in force; takes effect for the next connection / command.
    public func setFaults(_ faults: LabFaults) { state.withLock { $0.faults = faults } }

    /// Applies a partial fault update (and host key rotation if asked); returns the faults now in force.
    @discardableResult
    public func update(faults update: LabFaultUpdate) throws -> LabFaults {
        if update.rotateHostKey == true { try rotateHostKey() }
        return state.withLock {
            $0.faults = update.applied(to: $0.faults)
            return $0.faults
        }
    }

    /// Removes every fault.
    public func clearFaults() { setFaults(LabFaults()) }

    // MARK: Host key

    var hostKey: Curve25519.Signing.PrivateKey { state.withLock { $0.hostKey } }

    /// The host public key in OpenSSH `authorized_keys` form: `ssh-ed25519 AAAA...`.
    public var hostPublicKey: String {
        "ssh-ed25519 " + Self.publicKeyBlob(hostKey.publicKey).base64EncodedString()
    }

    /// The host key fingerprint as `ssh-keygen -l` prints it: `SHA256:...` (unpadded base64).
    public var hostKeyFingerprint: String {
        let digest = SHA256.hash(data: Self.publicKeyBlob(hostKey.publicKey))
        let b64 = Data(digest).base64EncodedString()
        return "SHA256:" + b64.replacingOccurrences(of: "=", with: "")
    }

    /// Switches to a new ed25519 host key from the next connection on, persisting it when keys are persisted.
    public func rotateHostKey() throws {
        let key = Curve25519.Signing.PrivateKey()
        if let hostKeyFile { try Self.write(key, to: hostKeyFile) }
        state.withLock { $0.hostKey = key }
    }

    private static func publicKeyBlob(_ key: Curve25519.Signing.PublicKey) -> Data {
        var blob = Data()
        func string(_ bytes: Data) {
            var len = UInt32(bytes.count).bigEndian
            withUnsafeBytes(of: &len) { blob.append(contentsOf: $0) }
            blob.append(bytes)
        }
        string(Data("ssh-ed25519".utf8))
        string(key.rawRepresentation)
        return blob
    }

    private static func loadOrCreateKey(file: String?) throws -> Curve25519.Signing.PrivateKey {
        guard let file else { return Curve25519.Signing.PrivateKey() }
        if let text = try? String(contentsOfFile: file, encoding: .utf8),
            let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            return try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        }
        let key = Curve25519.Signing.PrivateKey()
        try write(key, to: file)
        return key
    }

    private static func write(_ key: Curve25519.Signing.PrivateKey, to file: String) throws {
        let text = key.rawRepresentation.base64EncodedString() + "\n"
        _ = FileManager.default.createFile(atPath: file, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        guard FileManager.default.fileExists(atPath: file) else {
            throw LabError(.io, "cannot write host key \(file)")
        }
    }
}
