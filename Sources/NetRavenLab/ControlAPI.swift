import Foundation

/// The control API's routing and JSON, separate from HTTP so tests can call it directly.
struct ControlAPI: Sendable {
    let lab: Lab

    struct Response: Equatable {
        var status: Int
        var body: String
        var contentType = "application/json"
    }

    private struct DeviceSummary: Encodable {
        var name: String
        var platform: String
        var port: Int
        var serial: String
        var faults: LabFaults
        var configBytes: Int
        var changeCount: Int
        var hostKey: String
        var hostKeyFingerprint: String
        var address: String
        var notify: LabNotifySettings
    }

    func handle(method: String, path: String, body: Data) -> Response {
        let parts = path.split(separator: "?")[0].split(separator: "/").map(String.init)
        guard parts.first == "devices" else { return error(404, "no such resource: \(path)") }
        if parts.count == 1 {
            guard method == "GET" else { return error(405, "method not allowed") }
            return json(200, lab.devices.map(summary))
        }
        guard let device = lab.device(named: parts[1]) else { return error(404, "unknown device: \(parts[1])") }
        switch (method, parts.count > 2 ? parts[2] : nil) {
        case ("GET", nil):
            return json(200, summary(device))
        case ("GET", "config"?):
            return Response(status: 200, body: device.config, contentType: "text/plain; charset=utf-8")
        case ("PUT", "config"?):
            guard let text = String(data: body, encoding: .utf8), !text.isEmpty else {
                return error(400, "body must be the new configuration as UTF-8 text")
            }
            let query = Self.query(path)
            device.setConfig(text, user: query["user"] ?? "admin", source: query["source"])
            return json(200, summary(device))
        case ("POST", "change"?):
            do {
                let change = try JSONDecoder().decode(LabConfigChange.self, from: body)
                device.applyChange(change)
                return json(200, summary(device))
            } catch {
                return self.error(400, "bad change JSON: \(error)")
            }
        case ("POST", "faults"?):
            do {
                let update = try JSONDecoder().decode(LabFaultUpdate.self, from: body)
                try device.update(faults: update)
                return json(200, summary(device))
            } catch let e as DecodingError {
                return error(400, "bad faults JSON: \(e)")
            } catch {
                return self.error(500, "\(error)")
            }
        case ("DELETE", "faults"?):
            device.clearFaults()
            return json(200, summary(device))
        case ("GET", "notify"?):
            return json(200, device.notifySettings)
        case ("PUT", "notify"?), ("POST", "notify"?):
            do {
                let update = try JSONDecoder().decode(LabNotifyUpdate.self, from: body)
                device.setNotifySettings(update.applied(to: device.notifySettings))
                return json(200, device.notifySettings)
            } catch {
                return self.error(400, "bad notify JSON (expected {\"syslog\": bool, \"trap\": bool}): \(error)")
            }
        case (_, "config"?), (_, "change"?), (_, "faults"?), (_, "notify"?), (_, nil):
            return error(405, "method not allowed")
        default:
            return error(404, "no such resource: \(path)")
        }
    }

    private func summary(_ d: LabDevice) -> DeviceSummary {
        DeviceSummary(
            name: d.name, platform: d.platform.rawValue, port: d.port, serial: d.serial, faults: d.faults,
            configBytes: d.config.utf8.count, changeCount: d.changeCount, hostKey: d.hostPublicKey,
            hostKeyFingerprint: d.hostKeyFingerprint, address: d.address, notify: d.notifySettings)
    }

    /// `?user=jdoe&source=10.1.1.5` → ["user": "jdoe", "source": "10.1.1.5"] (percent-decoded).
    private static func query(_ path: String) -> [String: String] {
        guard let q = path.split(separator: "?", maxSplits: 1).dropFirst().first else { return [:] }
        var out: [String: String] = [:]
        for pair in q.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, let value = kv[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            else { continue }
            out[kv[0]] = value
        }
        return out
    }

    private func json(_ status: Int, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: status, body: String(decoding: data, as: UTF8.self) + "\n")
    }

    private func error(_ status: Int, _ message: String) -> Response {
        json(status, ["error": message])
    }
}
