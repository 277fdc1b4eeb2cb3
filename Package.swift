// swift-tools-version:6.2
import PackageDescription

/// Warnings are errors in CI (`make test` passes `-Xswiftc -warnings-as-errors`); the language mode is Swift 6.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "NetRaven",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "netraven", targets: ["netraven"]),
        .executable(name: "netraven-lab", targets: ["netraven-lab"]),
        // The fuzz targets' entry points, for the libFuzzer package in Fuzz/ (a path dependency sees products only).
        .library(name: "NetRavenFuzzing", targets: ["NetRavenFuzzing"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssh.git", exact: "0.15.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", exact: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
    ],
    targets: [
        // System libraries: one per C library, each imported by exactly one Swift wrapper module.
        .systemLibrary(name: "CLibSSH", pkgConfig: "libssh", providers: [.apt(["libssh-dev"])]),
        .systemLibrary(name: "CLibGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CNetSNMP", pkgConfig: "netsnmp", providers: [.apt(["libsnmp-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Shims for what Swift cannot import: variadic functions and macros (see its header for each reason).
        .target(name: "CNetRavenShims", dependencies: ["CCurl"]),
        // net-snmp's macros and fd_set step, imported only by NetRavenSNMP (see its header).
        .target(name: "CNetSNMPShims", dependencies: ["CNetSNMP"]),

        // Pure Swift: model, configuration and rules loading, cleaning, normalization, decisions.
        .target(
            name: "NetRavenCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // libssh sessions and the rule-driven CLI conversation.
        .target(
            name: "NetRavenSSH",
            dependencies: [
                "CLibSSH", "NetRavenCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Git archive (libgit2).
        .target(
            name: "NetRavenGit",
            dependencies: ["CLibGit2", .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // HTTP transfers over libcurl (S3, webhooks, NetBox build on it).
        .target(
            name: "NetRavenHTTP",
            dependencies: ["CCurl", "CNetRavenShims", .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // S3 uploads of committed versions (SigV4 through NetRavenHTTP's libcurl), verification and retention.
        .target(
            name: "NetRavenS3",
            dependencies: [
                "NetRavenHTTP", "NetRavenCore", "NetRavenGit", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The durable event and job journal (SQLite in WAL mode through GRDB).
        .target(
            name: "NetRavenJournal",
            dependencies: ["NetRavenCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        // Records events in a loop for the crash-durability test (killed with SIGKILL mid-stream); not installed.
        .executableTarget(
            name: "netraven-journal-probe", dependencies: ["NetRavenJournal", "NetRavenCore"],
            swiftSettings: swiftSettings),
        // Prometheus metrics: one registry per process behind swift-metrics, and the text exposition for /metrics.
        .target(
            name: "NetRavenMetrics",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // The SNMP trap receiver (net-snmp on one owning thread).
        .target(
            name: "NetRavenSNMP",
            dependencies: ["CNetSNMP", "CNetSNMPShims", "NetRavenCore"],
            swiftSettings: swiftSettings
        ),
        // Capture jobs: collect, store, push; later the daemon's services.
        .target(
            name: "NetRavenAgent",
            dependencies: [
                "NetRavenCore", "NetRavenSSH", "NetRavenGit", "NetRavenJournal", "NetRavenSyslog", "NetRavenSNMP",
                "NetRavenMetrics",
                "NetRavenAlerts", "NetRavenS3",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The syslog listener: UDP, TCP (LF and octet-counted framing) and TLS, with the source allow-list.
        .target(
            name: "NetRavenSyslog",
            dependencies: [
                "NetRavenCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Alert destinations: webhook, Slack, e-mail (SMTP via NetRavenHTTP), exec hook, syslog forwarding.
        .target(
            name: "NetRavenAlerts",
            dependencies: ["NetRavenCore", "NetRavenHTTP", .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // Archive bundles: gzip (zlib) and tar in Swift, the manifest, building from Git and verifying.
        .target(
            name: "NetRavenBundle",
            dependencies: ["CZlib", "NetRavenCore", "NetRavenGit", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Commands, as a library so they are testable.
        .target(
            name: "NetRavenCLI",
            dependencies: [
                "NetRavenCore", "NetRavenSSH", "NetRavenGit", "NetRavenAgent",
                "NetRavenJournal",
                "NetRavenBundle",
                "NetRavenS3",
                "NetRavenAPI",
                "NetRavenMetrics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The HTTP API, /metrics, health checks and the web status page (Hummingbird), a Service in the daemon.
        .target(
            name: "NetRavenAPI",
            dependencies: [
                "NetRavenCore", "NetRavenAgent", "NetRavenJournal", "NetRavenGit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "netraven", dependencies: ["NetRavenCLI"], swiftSettings: swiftSettings),
        // The device lab: simulated devices over SSH, independent of rules/ (so it tests them).
        .executableTarget(name: "netraven-lab", dependencies: ["NetRavenLab"], swiftSettings: swiftSettings),
        // Load generators and measuring tools for `make bench` (scripts/bench); not shipped.
        .executableTarget(
            name: "netraven-bench",
            dependencies: [
                "NetRavenCore", "NetRavenSyslog", "NetRavenSNMP", "NetRavenGit", "NetRavenJournal", "NetRavenAgent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "NetRavenLab",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSH", package: "swift-nio-ssh"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // Fuzz targets: one pure function per input format, run by Fuzz/ (libFuzzer) and by NetRavenFuzzTests.
        .target(
            name: "NetRavenFuzzing",
            dependencies: [
                "NetRavenCore", "NetRavenSyslog", "NetRavenSNMP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings),

        // Helpers shared by the test targets (paths, temporary directories, loopback ports, lab runs); not shipped.
        .target(
            name: "NetRavenTestSupport",
            dependencies: ["NetRavenLab", "NetRavenCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),

        .testTarget(
            name: "NetRavenFuzzTests", dependencies: ["NetRavenTestSupport", "NetRavenFuzzing", "NetRavenSNMP"],
            swiftSettings: swiftSettings),
        .testTarget(name: "NetRavenCoreTests", dependencies: ["NetRavenTestSupport", "NetRavenCore", .product(name: "Yams", package: "Yams")], swiftSettings: swiftSettings),
        .testTarget(name: "NetRavenSSHTests", dependencies: ["NetRavenTestSupport", "NetRavenSSH", "NetRavenCore"], swiftSettings: swiftSettings),
        .testTarget(name: "NetRavenGitTests", dependencies: ["NetRavenTestSupport", "NetRavenGit"], swiftSettings: swiftSettings),
        .testTarget(name: "NetRavenLabTests", dependencies: ["NetRavenTestSupport", "NetRavenLab"], swiftSettings: swiftSettings),
        .testTarget(
            name: "NetRavenJournalTests",
            dependencies: [
                "NetRavenTestSupport", "NetRavenJournal", "NetRavenCore", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "NetRavenSNMPTests", dependencies: ["NetRavenTestSupport", "NetRavenSNMP", "NetRavenCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NetRavenBundleTests",
            dependencies: ["NetRavenTestSupport", "NetRavenBundle", "NetRavenCore", "NetRavenGit"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "NetRavenS3Tests",
            dependencies: [
                "NetRavenTestSupport", "NetRavenS3", "NetRavenHTTP", "NetRavenCore", "NetRavenGit",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NetRavenMetricsTests", dependencies: ["NetRavenTestSupport", "NetRavenMetrics"],
            swiftSettings: swiftSettings),
        .testTarget(name: "NetRavenHTTPTests", dependencies: ["NetRavenTestSupport", "NetRavenHTTP"], swiftSettings: swiftSettings),
        .testTarget(
            name: "NetRavenSyslogTests",
            dependencies: [
                "NetRavenTestSupport", "NetRavenSyslog", "NetRavenCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NetRavenAlertsTests",
            dependencies: ["NetRavenTestSupport", "NetRavenAlerts", "NetRavenCore", "NetRavenHTTP"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NetRavenAgentTests",
            dependencies: ["NetRavenTestSupport", "NetRavenAgent", "NetRavenCore", "NetRavenSSH", "NetRavenGit", "NetRavenLab",
                           "NetRavenMetrics", "NetRavenAlerts", "NetRavenHTTP", "NetRavenJournal", "NetRavenS3"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NetRavenCLITests",
            dependencies: ["NetRavenTestSupport", "NetRavenCLI", "NetRavenCore", "NetRavenGit", "NetRavenAgent", "NetRavenLab",
                           "NetRavenJournal",
                           "NetRavenBundle", "NetRavenS3"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NetRavenAPITests",
            dependencies: [
                "NetRavenTestSupport", "NetRavenAPI", "NetRavenAgent", "NetRavenCore", "NetRavenJournal", "NetRavenLab",
                "NetRavenGit",
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
