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
        threads: Int = 0
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
    }

    /// The control API port, if enabled.
    public var control: Int?
    /// Every device, in order.
    public var devices: [Device]
}
