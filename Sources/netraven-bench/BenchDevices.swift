import Foundation

/// The simulated senders of the ingest benchmarks (P1, P2): device `i` has its own loopback address
/// `127.0.1.(i+1)` and a platform taken in turn from the four lab platforms, so a receiver resolves every message by
/// its source address, as with real devices.
struct BenchDevices {
    /// One sender.
    struct Device {
        var name: String
        var platform: String
        var address: String
    }

    static let platforms = ["cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos"]

    let devices: [Device]

    init(count: Int) {
        devices = (0..<count).map { index in
            let platform = Self.platforms[index % Self.platforms.count]
            return Device(name: "bench-\(index + 1)", platform: platform, address: "127.0.1.\(index + 1)")
        }
    }

    /// An inventory file naming every device (credentials are never used: nothing is collected).
    var inventoryYAML: String {
        var text = "defaults:\n  credentials: bench\ndevices:\n"
        for device in devices {
            text += "  - {name: \(device.name), host: \(device.address), platform: \(device.platform), group: bench}\n"
        }
        return text
    }

    /// Writes `inventoryYAML` to `path` when one is given.
    func writeInventory(to path: String?) throws {
        guard let path else { return }
        try inventoryYAML.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
