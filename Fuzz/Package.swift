// swift-tools-version:6.2
import Foundation
import PackageDescription

/// SwiftPM names a path dependency after its directory (`main`, `wt-fuzz`, `netraven`): take it from where we are.
let rootPackage = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent

/// The libFuzzer build of NetRaven's fuzz targets, apart from the main package so its sanitizer flags never touch the
/// normal build. `scripts/fuzz/run` builds it with `-sanitize=fuzzer,address` for every Swift module (NetRavenCore,
/// NetRavenSyslog, NetRavenSNMP, NIO, Yams...), so coverage guides the fuzzer through them, not only the entry point.
/// One executable serves every target: `NETRAVEN_FUZZ_TARGET` names which (docs/fuzzing.md).
let package = Package(
    name: "NetRavenFuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(name: "netraven-fuzz", dependencies: [.product(name: "NetRavenFuzzing", package: rootPackage)])
    ]
)
