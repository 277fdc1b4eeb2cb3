/// Explicit algorithm lists for the SSH handshake, most preferred first.
///
/// Always set explicitly: Debian's libssh 0.10.6 default cipher list ends with a comma, which breaks the
/// handshake with swift-nio-ssh servers, and 0.10.6 rejects OpenSSH's `+algo` syntax, so legacy algorithms
/// must be given as complete lists. Only names that libssh 0.10.6 on Debian 12 supports appear here
/// (no `ssh-dss`: it is not built in).
public struct SSHAlgorithms: Sendable, Hashable {
    /// Key exchange methods (`SSH_OPTIONS_KEY_EXCHANGE`).
    public var kex: [String]
    /// Host key algorithms (`SSH_OPTIONS_HOSTKEYS`); also used as the accepted public-key signature types
    /// for user authentication, so an old device that only knows `ssh-rsa` signatures accepts an RSA key.
    public var hostKeys: [String]
    /// Ciphers, both directions (`SSH_OPTIONS_CIPHERS_C_S` and `_S_C`).
    public var ciphers: [String]
    /// MACs, both directions (`SSH_OPTIONS_HMAC_C_S` and `_S_C`); unused with AEAD ciphers.
    public var macs: [String]

    /// Makes a custom set; every list must be non-empty.
    public init(kex: [String], hostKeys: [String], ciphers: [String], macs: [String]) {
        self.kex = kex
        self.hostKeys = hostKeys
        self.ciphers = ciphers
        self.macs = macs
    }

    /// What a current OpenSSH server negotiates: no SHA-1, no CBC.
    public static let modern = SSHAlgorithms(
        kex: [
            "curve25519-sha256", "curve25519-sha256@libssh.org",
            "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
            "diffie-hellman-group18-sha512", "diffie-hellman-group16-sha512",
            "diffie-hellman-group-exchange-sha256", "diffie-hellman-group14-sha256",
        ],
        hostKeys: [
            "ssh-ed25519", "ecdsa-sha2-nistp521", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp256",
            "rsa-sha2-512", "rsa-sha2-256",
        ],
        ciphers: [
            "chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com", "aes128-gcm@openssh.com",
            "aes256-ctr", "aes192-ctr", "aes128-ctr",
        ],
        macs: [
            "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com", "hmac-sha2-256", "hmac-sha2-512",
        ]
    )

    /// `modern` first, then what old network gear (IOS 12/15, old ASA, ProCurve) still needs:
    /// SHA-1 DH groups, `ssh-rsa` signatures, CBC ciphers and `hmac-sha1`.
    public static let modernPlusLegacy = SSHAlgorithms(
        kex: modern.kex + [
            "diffie-hellman-group-exchange-sha1", "diffie-hellman-group14-sha1", "diffie-hellman-group1-sha1",
        ],
        hostKeys: modern.hostKeys + ["ssh-rsa"],
        ciphers: modern.ciphers + ["aes256-cbc", "aes192-cbc", "aes128-cbc", "3des-cbc"],
        macs: modern.macs + ["hmac-sha1-etm@openssh.com", "hmac-sha1"]
    )
}
