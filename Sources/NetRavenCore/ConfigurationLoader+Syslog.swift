import Foundation

extension ConfigurationLoader {
    /// Reads the `syslog:` section; every problem is reported at its own line and column.
    func readSyslog(_ node: NodeReader, resolve: (String) -> String) -> SyslogSettings {
        var syslog = SyslogSettings()
        let keys: Set<String> = [
            "udp", "tcp", "tls", "relays", "max_message_bytes", "max_connections", "receive_buffer_bytes",
            "idle_timeout",
        ]
        guard let map = node.mapping(allowed: keys) else { return syslog }
        syslog.udp = map["udp"].flatMap(readListenAddress)
        syslog.tcp = map["tcp"].flatMap(readListenAddress)
        if let tlsNode = map["tls"], !tlsNode.isNull,
            let tls = tlsNode.mapping(allowed: ["listen", "certificate", "key", "client_ca"])
        {
            let listen = tls.required("listen").flatMap(readListenAddress)
            let certificate = tls.required("certificate").flatMap { readableFile($0, resolve: resolve) }
            let key = tls.required("key").flatMap { readableFile($0, resolve: resolve) }
            let clientCA = tls["client_ca"].flatMap { $0.isNull ? nil : readableFile($0, resolve: resolve) }
            if let listen, let certificate, let key {
                syslog.tls = SyslogSettings.TLS(
                    listen: listen, certificatePath: certificate, keyPath: key, clientCAPath: clientCA)
            }
        }
        if let tcp = syslog.tcp, let tls = syslog.tls, tcp.port != 0, tcp == tls.listen {
            map["tls"]?.error(
                "syslog.tls.listen \(tls.listen) is the same as syslog.tcp; use another port (6514)")
        }
        if let relays = map["relays"]?.sequence() {
            syslog.relays = relays.compactMap { item in
                guard let text = item.string() else { return nil }
                guard let prefix = IPPrefix(text) else {
                    item.error(
                        "\(item.path) must be an IP address or a CIDR prefix (192.0.2.10, 10.1.0.0/16), "
                            + "found '\(text)'")
                    return nil
                }
                return prefix
            }
        }
        // RFC 5424 receivers must accept 480 bytes and should accept 2048; 16 MiB is far beyond any device.
        syslog.maxMessageBytes = map["max_message_bytes"]?.int(in: 480...16_777_216) ?? syslog.maxMessageBytes
        syslog.maxConnections = map["max_connections"]?.int(in: 1...100_000) ?? syslog.maxConnections
        syslog.receiveBufferBytes =
            map["receive_buffer_bytes"]?.int(in: 65_536...1_073_741_824) ?? syslog.receiveBufferBytes
        syslog.idleTimeout = map["idle_timeout"]?.duration() ?? syslog.idleTimeout
        return syslog
    }

    func readListenAddress(_ node: NodeReader) -> ListenAddress? {
        if node.isNull { return nil }
        guard let text = node.string() else { return nil }
        guard let address = ListenAddress(parsing: text) else {
            node.error(
                "\(node.path) must be ADDRESS:PORT with an IP address (\"0.0.0.0:5514\", \"[::]:5514\") or a port, "
                    + "found '\(text)'")
            return nil
        }
        return address
    }

    /// A file path resolved against the configuration's folder, reported when it cannot be read.
    func readableFile(_ node: NodeReader, resolve: (String) -> String) -> String? {
        guard let text = node.string() else { return nil }
        let path = resolve(text)
        guard FileManager.default.isReadableFile(atPath: path) else {
            node.error("\(node.path): cannot read \(path)")
            return nil
        }
        return path
    }
}
