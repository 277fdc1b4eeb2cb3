/// The fuzz targets: one per input format NetRaven reads from outside, each a pure function of the input bytes.
///
/// The libFuzzer executables in `Fuzz/` and the regression tests in `Tests/NetRavenFuzzTests` call the same `run`,
/// so an input that once broke a target is replayed exactly as the fuzzer produced it.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// TCP/TLS syslog framing (`SyslogFrameDecoder`): octet counting and LF framing, cut in arbitrary chunks.
    case syslogFrame = "syslog-frame"
    /// One syslog message: parsing, the syslog rule book over the real `rules/`, and the daemon's classifier.
    case syslogMessage = "syslog-message"
    /// A trap's variable bindings, written as text lines, through the trap rule book and the classifier.
    case trapVarbinds = "trap-varbinds"
    /// A raw SNMPv1/v2c trap datagram (BER) decoded by net-snmp and read into a `ReceivedTrap`.
    case trapMessage = "trap-message"
    /// YAML text as `netraven.yaml`, inventory, credentials or a rules file (the first byte picks which).
    case configuration = "configuration"

    /// Runs one input. Returns the invariants the input broke (empty when all held); a crash inside the code under
    /// test is a crash here too, which is what libFuzzer and the regression tests look for.
    public func run(_ input: [UInt8]) -> [String] {
        switch self {
        case .syslogFrame: SyslogFrameFuzzTarget.run(input)
        case .syslogMessage: SyslogMessageFuzzTarget.run(input)
        case .trapVarbinds: TrapVarbindsFuzzTarget.run(input)
        case .trapMessage: TrapMessageFuzzTarget.run(input)
        case .configuration: ConfigurationFuzzTarget.run(input)
        }
    }

    /// Runs one input the way the libFuzzer entry point does: a broken invariant stops the process with its
    /// description, so libFuzzer keeps the input as a crash reproducer.
    public func runOrCrash(_ input: [UInt8]) {
        let problems = run(input)
        if !problems.isEmpty {
            fatalError("\(rawValue): \(problems.joined(separator: "; "))")
        }
    }
}
