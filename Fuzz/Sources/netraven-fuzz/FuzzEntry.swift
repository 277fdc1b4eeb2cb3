import Glibc
import NetRavenFuzzing

/// The target named by `NETRAVEN_FUZZ_TARGET`, read once; libFuzzer's own `main` owns the command line.
let selectedTarget: FuzzTarget = {
    let name = getenv("NETRAVEN_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        let known = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        fatalError("NETRAVEN_FUZZ_TARGET must be one of \(known), found '\(name)'")
    }
    return target
}()

/// libFuzzer calls this once per input; a broken invariant or a trap ends the process and keeps the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = start.map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []
    selectedTarget.runOrCrash(input)
    return 0
}
