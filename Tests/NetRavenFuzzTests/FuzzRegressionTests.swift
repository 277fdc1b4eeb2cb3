import Foundation
import NetRavenFuzzing
import NetRavenSNMP
import NetRavenTestSupport
import Testing

/// Replays every input the fuzzers ever broke (`Fuzz/regressions/<target>/`) and the committed seed corpus
/// (`Fuzz/corpus/<target>/`) through the same entry points the libFuzzer executables call, so `make test` keeps
/// found bugs fixed without running a fuzzer.
@Suite struct FuzzRegressionTests {
    static func inputs(_ folder: String, _ target: FuzzTarget) -> [String] {
        let directory = PackagePaths.root + "/Fuzz/\(folder)/" + target.rawValue
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory + "/" + $0 }
    }

    @Test(arguments: FuzzTarget.allCases)
    func regressionsStayFixed(_ target: FuzzTarget) throws {
        for path in Self.inputs("regressions", target) {
            let input = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let problems = target.run(input)
            #expect(problems.isEmpty, "\(path): \(problems)")
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedCorpusIsCleanAndPresent(_ target: FuzzTarget) throws {
        let seeds = Self.inputs("corpus", target)
        #expect(seeds.count >= 5, "Fuzz/corpus/\(target.rawValue) holds \(seeds.count) seeds")
        for path in seeds {
            let input = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let problems = target.run(input)
            #expect(problems.isEmpty, "\(path): \(problems)")
        }
    }

    /// The BER seeds are real traps: if net-snmp refused them all, the trap-message target would test nothing.
    @Test func trapMessageSeedsDecode() throws {
        for path in Self.inputs("corpus", .trapMessage) {
            let datagram = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let trap = TrapMessageDecoder.decode(datagram, peerAddress: "192.0.2.1")
            #expect(trap != nil, "\(path) does not decode")
            #expect(trap?.trapOID.hasPrefix("1.3.6.1.") == true, "\(path): trap OID \(trap?.trapOID ?? "-")")
        }
    }
}
