/// A device family the lab can emulate; the raw value is the NetRaven / netmiko platform name.
public enum LabPlatform: String, Sendable, CaseIterable, Codable {
    case ciscoIOS = "cisco_ios"
    case ciscoNXOS = "cisco_nxos"
    case aristaEOS = "arista_eos"
    case juniperJunos = "juniper_junos"
}

extension LabPlatform {
    /// Fixed facts `show version` reports; chosen to look like one plausible real box per family.
    var model: String {
        switch self {
        case .ciscoIOS: "ISR4331/K9"
        case .ciscoNXOS: "N9K-C93180YC-EX"
        case .aristaEOS: "DCS-7050SX3-48YC8"
        case .juniperJunos: "mx204"
        }
    }

    /// A serial number derived from the device index, in each vendor's format.
    func serial(index: Int) -> String {
        let n = String(index).leftPadded(to: 4)
        switch self {
        case .ciscoIOS: return "FTX2\(n)ABCD"
        case .ciscoNXOS: return "FDO2\(n)4ABC"
        case .aristaEOS: return "JPE1\(n)678"
        case .juniperJunos: return "JN12\(n)ABCDE"
        }
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
