import ArgumentParser
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

    /// The order of a mixed stream: `length` slots of which every `1 / changeShare`-th is a change; changes and
    /// noise each rotate over the devices. The builders get the device index and how many slots of that kind the
    /// device had before (to rotate over its lines).
    func schedule<Item>(
        length: Int, changeShare: Double, change: (Int, Int) -> Item, noise: (Int, Int) -> Item
    ) -> [Item] {
        let stride = max(1, Int((1 / changeShare).rounded()))
        var items: [Item] = []
        var changes = 0
        var others = 0
        for index in 0..<length {
            if index % stride == stride / 2 {
                items.append(change(changes % devices.count, changes / devices.count))
                changes += 1
            } else {
                items.append(noise(others % devices.count, others / devices.count))
                others += 1
            }
        }
        return items
    }

    /// The limits the load generators share.
    static func validate(devices: Int, changePercent: Double, count: Int, rate: Double) throws {
        guard devices >= 1, devices <= 250 else { throw ValidationError("--devices must be 1...250") }
        guard changePercent > 0, changePercent <= 50 else { throw ValidationError("--change-percent must be 0...50") }
        guard count >= 0, rate >= 0 else { throw ValidationError("--count and --rate must not be negative") }
    }

    /// Writes `inventoryYAML` to `path` when one is given.
    func writeInventory(to path: String?) throws {
        guard let path else { return }
        try inventoryYAML.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
