/// How to build a lab: how many devices, which platforms, where to listen, what credentials and configs.
public struct LabConfiguration: Sendable {
    /// Number of devices.
    public var devices: Int
    /// Platforms assigned round robin: device i gets `platforms[(i - 1) % count]`.
    public var platforms: [LabPlatform]
    /// Hostname prefix: devices are `\(namePrefix)1` ... `\(namePrefix)N`.
    public var namePrefix: String
    /// Address every listener binds.
    public var host: String
    /// First device port (device i listens on `basePort + i - 1`); 0 picks a free port per device.
    public var basePort: Int
    /// Port of the HTTP control API; 0 picks a free one; `nil` disables the API.
    public var controlPort: Int?
    /// Approximate size in bytes of each generated running config.
    public var configSize: Int
    /// If set, `DIR/<hostname>.cfg` replaces the generated config of that device when present.
    public var configsDirectory: String?
    /// If set, host keys are persisted in `DIR/<hostname>.ed25519` so a restart keeps them.
    public var stateDirectory: String?
    /// Login user name of every device.
    public var username: String
    /// Login password of every device.
    public var password: String
    /// `enable` password of every device.
    public var enablePassword: String
    /// Event loop threads; 0 means one per core.
    public var threads: Int
    /// If set, device i listens on (and sends syslog / traps from) this IPv4 address + i - 1, e.g. 127.0.10.1,
    /// 127.0.10.2, ...; otherwise every device uses ``host``.
    public var addressPerDevice: String?
    /// Where devices send syslog messages when their configuration changes; nil sends none.
    public var syslogTarget: LabNotifyTarget?
    /// Where devices send SNMPv2c traps when their configuration changes; nil sends none.
    public var trapTarget: LabNotifyTarget?
    /// The community of the traps.
    public var trapCommunity: String
    /// What each device sends at start (changed per device with `PUT /devices/{name}/notify`).
    public var notify: LabNotifySettings

    /// A lab of `devices` devices with defaults for everything else (free ports, ~4 KB configs, admin/admin).
    public init(
        devices: Int = 4,
        platforms: [LabPlatform] = LabPlatform.allCases,
        namePrefix: String = "r",
        host: String = "127.0.0.1",
        basePort: Int = 0,
        controlPort: Int? = 0,
        configSize: Int = 4096,
        configsDirectory: String? = nil,
        stateDirectory: String? = nil,
        username: String = "admin",
        password: String = "admin",
        enablePassword: String = "enable",
        threads: Int = 0,
        addressPerDevice: String? = nil,
        syslogTarget: LabNotifyTarget? = nil,
        trapTarget: LabNotifyTarget? = nil,
        trapCommunity: String = "public",
        notify: LabNotifySettings = LabNotifySettings()
    ) {
        self.devices = devices
        self.platforms = platforms
        self.namePrefix = namePrefix
        self.host = host
        self.basePort = basePort
        self.controlPort = controlPort
        self.configSize = configSize
        self.configsDirectory = configsDirectory
        self.stateDirectory = stateDirectory
        self.username = username
        self.password = password
        self.enablePassword = enablePassword
        self.threads = threads
        self.addressPerDevice = addressPerDevice
        self.syslogTarget = syslogTarget
        self.trapTarget = trapTarget
        self.trapCommunity = trapCommunity
        self.notify = notify
    }

    /// The address device `index` (1-based) listens on and sends from.
    public func address(ofDevice index: Int) throws -> String {
        guard let base = addressPerDevice else { return host }
        let parts = base.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt32($0) }
        guard parts.count == 4, parts.allSatisfy({ $0 < 256 }) else {
            throw LabError(.invalidArgument, "--address-per-device: '\(base)' is not an IPv4 address")
        }
        let value = parts.reduce(UInt32(0)) { $0 << 8 | $1 }
        let (sum, overflow) = value.addingReportingOverflow(UInt32(max(0, index - 1)))
        guard !overflow else {
            throw LabError(.invalidArgument, "--address-per-device: \(base) + \(index - 1) is past 255.255.255.255")
        }
        return [sum >> 24, sum >> 16 & 0xFF, sum >> 8 & 0xFF, sum & 0xFF].map(String.init).joined(separator: ".")
    }
}

/// Where a started lab listens.
public struct LabEndpoints: Sendable, Codable, Equatable {
    /// One device's listener.
    public struct Device: Sendable, Codable, Equatable {
        /// Hostname.
        public var name: String
        /// Platform name (`cisco_ios`, ...).
        public var platform: String
        /// TCP port on the lab host.
        public var port: Int
        /// The address the device listens on (its own with `addressPerDevice`).
        public var host: String?
    }

    /// The control API port, if enabled.
    public var control: Int?
    /// Every device, in order.
    public var devices: [Device]
}
