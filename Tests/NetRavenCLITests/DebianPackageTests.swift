import Foundation
import NetRavenTestSupport
import Testing

/// Builds the .deb from the debug products `swift test` already built, reads it back with dpkg-deb, installs it into
/// a temporary root with dpkg and runs the installed binary from there, then removes and purges it.
///
/// dpkg installs with `--root=ROOT --force-script-chrootless`: without the latter dpkg would chroot into ROOT to run
/// the maintainer scripts, and ROOT has no shell. Chrootless, dpkg sets DPKG_ROOT, and the scripts prefix every
/// path with it and create the user with `useradd --prefix ROOT`, so the host's /etc/passwd is never touched.
/// Changing file owners in ROOT needs root, as CI and the developers' machines are.
@Suite(.enabled(if: getuid() == 0, "installing a package's files with their owners needs root"))
struct DebianPackageTests {
    @Test func packageBuildsInstallsRunsAndPurges() throws {
        for tool in ["/usr/bin/dpkg-deb", "/usr/bin/dpkg", "/usr/sbin/useradd"] {
            try #require(FileManager.default.isExecutableFile(atPath: tool), "\(tool) is missing")
        }
        let work = try TemporaryDirectory(prefix: "netraven-deb")
        let version = try run(productsDirectory.appendingPathComponent("netraven").path, ["--version"])
            .trimmingCharacters(in: .whitespacesAndNewlines)

        // Build.
        // gzip -1 instead of xz: the debug binary is large and the compression is not what is tested.
        let built = try run(
            PackagePaths.script("build-deb"), ["--build-dir", productsDirectory.path, "--output", work.path + "/out"],
            environment: ["DPKG_DEB_COMPRESSOR_TYPE": "gzip", "DPKG_DEB_COMPRESSOR_LEVEL": "1"])
        let deb = try #require(built.split(separator: "\n").last.map(String.init))
        let architecture = try run("/usr/bin/dpkg", ["--print-architecture"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(deb == "\(work.path)/out/netraven_\(version)_\(architecture).deb")

        // Control fields and conffiles.
        let fields = try run("/usr/bin/dpkg-deb", ["--field", deb, "Package", "Version", "Architecture", "Depends"])
        #expect(fields.contains("Package: netraven\n"), "\(fields)")
        #expect(fields.contains("Version: \(version)\n"), "\(fields)")
        #expect(fields.contains("Architecture: \(architecture)\n"), "\(fields)")
        let depends = fields.split(separator: "\n").first { $0.hasPrefix("Depends: ") }.map {
            Set($0.dropFirst("Depends: ".count).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        } ?? []
        // The libraries the binary links today (libcurl joins once a command uses NetRavenHTTP: Depends follows ldd).
        for package in ["libssh-4", "libgit2-1.5", "libsnmp40", "libsqlite3-0", "libc6", "adduser"] {
            #expect(depends.contains(package), "Depends lacks \(package): \(depends.sorted())")
        }
        let conffiles = try run("/usr/bin/dpkg-deb", ["--info", deb, "conffiles"])
        #expect(
            conffiles.split(separator: "\n").map(String.init).sorted()
                == ["/etc/netraven/credentials.yaml", "/etc/netraven/inventory.yaml", "/etc/netraven/netraven.yaml"])
        let info = try run("/usr/bin/dpkg-deb", ["--info", deb])
        for script in ["postinst", "prerm", "postrm", "control", "conffiles"] {
            #expect(info.contains(" \(script)\n") || info.contains(" \(script) "), "no \(script) in:\n\(info)")
        }

        // The file list: owners, the units, rules without test fixtures, docs, examples; the lab is not shipped.
        let contents = try run("/usr/bin/dpkg-deb", ["--contents", deb])
        // Each line: mode, owner/group, size, date, time, path.
        let entries = contents.split(separator: "\n").compactMap { line -> (owner: String, path: String)? in
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            return columns.count >= 6 ? (owner: String(columns[1]), path: String(columns[5])) : nil
        }
        let paths = Set(entries.map(\.path))
        #expect(entries.allSatisfy { $0.owner == "root/root" }, "\(entries.filter { $0.owner != "root/root" })")
        for path in [
            "./usr/bin/netraven", "./usr/share/netraven/rules/platforms/cisco_ios.yaml",
            "./usr/share/netraven/rules/syslog/juniper_junos.yaml", "./usr/share/netraven/rules/traps/SNMPv2-MIB.yaml",
            "./etc/netraven/netraven.yaml", "./etc/netraven/inventory.yaml", "./etc/netraven/credentials.yaml",
            "./lib/systemd/system/netraven.service", "./lib/systemd/system/netraven-sweep.service",
            "./lib/systemd/system/netraven-sweep.timer", "./usr/share/doc/netraven/examples/60-netraven.conf",
            "./usr/share/doc/netraven/install.md", "./usr/share/doc/netraven/upgrade.md",
            "./usr/share/doc/netraven/troubleshooting.md", "./usr/share/doc/netraven/copyright",
            "./usr/share/doc/netraven/changelog.gz",
        ] {
            #expect(paths.contains(path), "\(path) is not in the package")
        }
        let unwanted = paths.filter {
            $0.contains("/fixtures/") || $0.hasSuffix("/netraven-lab") || $0.contains("rsyslog.d")
        }
        #expect(unwanted.isEmpty, "\(unwanted.sorted())")

        // Install into a temporary root with its own dpkg database and user files.
        let root = work.path + "/root"
        for directory in ["var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers", "etc"] {
            try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
        let userFiles = [
            "etc/passwd": "root:x:0:0:root:/root:/bin/sh\n", "etc/group": "root:x:0:\n",
            "etc/shadow": "root:*:19000:0:99999:7:::\n", "etc/gshadow": "root:*::\n",
            "var/lib/dpkg/status": "", "var/lib/dpkg/available": "",
        ]
        for (file, text) in userFiles { try text.write(toFile: root + "/" + file, atomically: true, encoding: .utf8) }
        let hostPasswd = try String(contentsOfFile: "/etc/passwd", encoding: .utf8)
        try dpkg(root, ["--install", deb])
        #expect(try String(contentsOfFile: "/etc/passwd", encoding: .utf8) == hostPasswd, "the host's users changed")
        #expect(try dpkg(root, ["--status", "netraven"]).contains("Status: install ok installed"))

        // postinst: the system user, the credentials' owner and mode, the state directory; nothing started.
        let passwd = try String(contentsOfFile: root + "/etc/passwd", encoding: .utf8)
        let user = try #require(passwd.split(separator: "\n").first { $0.hasPrefix("netraven:") }, "\(passwd)")
        let userFields = user.split(separator: ":", omittingEmptySubsequences: false)
        #expect(userFields[5] == "/var/lib/netraven" && userFields[6] == "/usr/sbin/nologin", "\(user)")
        let uid = try #require(Int(userFields[2]))
        #expect(uid < 1000, "not a system user: \(user)")
        let credentials = try FileManager.default.attributesOfItem(atPath: root + "/etc/netraven/credentials.yaml")
        #expect((credentials[.ownerAccountID] as? NSNumber)?.intValue == uid)
        #expect((credentials[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let state = try FileManager.default.attributesOfItem(atPath: root + "/var/lib/netraven")
        #expect((state[.ownerAccountID] as? NSNumber)?.intValue == uid)
        #expect((state[.posixPermissions] as? NSNumber)?.intValue == 0o700)

        // The installed binary runs, and finds the installed rules without being told where they are.
        let installed = root + "/usr/bin/netraven"
        #expect(try run(installed, ["--version"]).trimmingCharacters(in: .whitespacesAndNewlines) == version)
        let etc = root + "/etc/netraven/"
        // The example credentials name key files under /etc/netraven: point them into the temporary root.
        let credentialsText = try String(contentsOfFile: etc + "credentials.yaml", encoding: .utf8)
            .replacingOccurrences(of: "/etc/netraven/", with: etc)
        try credentialsText.write(toFile: etc + "credentials.yaml", atomically: false, encoding: .utf8)
        for file in ["netops.old-password", "id_ed25519", "id_ed25519.passphrase"] {
            try "example-\(file)\n".write(toFile: etc + file, atomically: true, encoding: .utf8)
        }
        let check = try run(
            installed, ["check-config", "--config", etc + "netraven.yaml", "--state-dir", root + "/var/lib/netraven"],
            environment: ["NETRAVEN_NETOPS_PASSWORD": "example-pw", "NETRAVEN_ENABLE_SECRET": "example-enable"])
        #expect(check.contains("configuration OK"), "\(check)")
        #expect(check.contains("from \(root)/usr/share/netraven/rules"), "\(check)")

        if FileManager.default.isExecutableFile(atPath: "/usr/bin/lintian") {
            let lintian = try run("/usr/bin/lintian", ["--no-tag-display-limit", deb], allowFailure: true)
            // A debug build's binary keeps the toolchain's RUNPATH (/opt/swift/...): that error is the debug build's,
            // a release build (`make deb`, --static-swift-stdlib) has none.
            let errors = lintian.split(separator: "\n").filter {
                $0.hasPrefix("E: ") && !$0.contains("custom-library-search-path RUNPATH /opt/swift/")
            }
            #expect(errors.isEmpty, "lintian:\n\(lintian)")
        }

        // remove keeps the configuration, the state and the user; purge drops configuration and user, keeps state.
        try dpkg(root, ["--remove", "netraven"])
        #expect(!FileManager.default.fileExists(atPath: installed))
        #expect(FileManager.default.fileExists(atPath: etc + "netraven.yaml"))
        #expect(try String(contentsOfFile: root + "/etc/passwd", encoding: .utf8).contains("netraven:"))
        try dpkg(root, ["--purge", "netraven"])
        #expect(!FileManager.default.fileExists(atPath: etc + "netraven.yaml"))
        #expect(!(try String(contentsOfFile: root + "/etc/passwd", encoding: .utf8).contains("netraven:")))
        #expect(!(try String(contentsOfFile: root + "/etc/group", encoding: .utf8).contains("netraven:")))
        #expect(FileManager.default.fileExists(atPath: root + "/var/lib/netraven"))
    }

    /// Runs dpkg on the temporary root: its own database, no chroot for the maintainer scripts, and no check of
    /// Depends (the root holds no other packages; the host has them).
    @discardableResult
    private func dpkg(_ root: String, _ arguments: [String]) throws -> String {
        try run(
            "/usr/bin/dpkg",
            ["--root=\(root)", "--log=/dev/null", "--force-not-root", "--force-script-chrootless", "--force-depends"]
                + arguments)
    }

    /// Runs a program to its end and returns standard output and error together; a failure status throws.
    private func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], allowFailure: Bool = false
    ) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NETRAVEN_CONFIG")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = try TemporaryDirectory(prefix: "netraven-deb-output")
        let outputPath = output.path + "/output"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        // A file rather than a pipe: the program's output may be large, and nothing has to drain it meanwhile.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let text = try String(contentsOfFile: outputPath, encoding: .utf8)
        if process.terminationStatus != 0 && !allowFailure {
            throw PackageCommandFailure(command: ([executable] + arguments).joined(separator: " "), output: text)
        }
        return text
    }
}

/// A command of the package test exited non-zero; its output says why.
struct PackageCommandFailure: Error, CustomStringConvertible {
    var command: String
    var output: String
    var description: String { "\(command) failed:\n\(output)" }
}
