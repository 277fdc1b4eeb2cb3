public import NetRavenCore
/// Where and how to connect: everything `SSHSession` needs except the credential.
public struct SSHTarget: Sendable, Hashable {
    /// Host name or IP address.
    public var host: String
    /// TCP port.
    public var port: Int
    /// Login name.
    public var username: String
    /// Bounds the TCP connect and the SSH handshake; libssh also applies it to each later blocking request
    /// (authentication, channel open).
    public var connectTimeout: Duration
    /// NetRaven's own known_hosts file (the global `/etc/ssh/ssh_known_hosts` is not consulted).
    public var knownHostsPath: String
    /// What to do with the server's host key.
    public var hostKeyPolicy: HostKeyPolicy
    /// The algorithm lists offered in the handshake.
    public var algorithms: SSHAlgorithms

    /// Makes a target; defaults suit a modern device with trust on first use.
    public init(
        host: String, port: Int = 22, username: String, connectTimeout: Duration = .seconds(10),
        knownHostsPath: String, hostKeyPolicy: HostKeyPolicy = .tofu, algorithms: SSHAlgorithms = .modern
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.connectTimeout = connectTimeout
        self.knownHostsPath = knownHostsPath
        self.hostKeyPolicy = hostKeyPolicy
        self.algorithms = algorithms
    }
}
