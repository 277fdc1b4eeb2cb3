import Foundation
import NetRavenTestSupport
import Testing

/// `netraven archive` and `netraven verify` through the binary, on an archive filled by real lab captures.
@Suite struct ArchiveCommandTests {
    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func archiveVerifyAndTampering() async throws {
        try await CLITests().withLabAndConfig(devices: 3) { _, config, directory in
            let env = ["LAB_PASSWORD": "admin"]
            let backup = try netraven(["backup", "--config", config, "r1", "r2"], environment: env)
            #expect(backup.status == 0, "\(backup.stderr)")

            // r3 was never captured: the bundle holds r1 and r2, says so, and exits 1.
            let out = directory.path + "/bundles"
            let all = try netraven(["archive", "--config", config, "--output", out, "--json"], environment: env)
            #expect(all.status == 1, "\(all.stderr)")
            #expect(all.stderr.contains("r3 has no stored configuration"), "\(all.stderr)")
            let summary = try object(all.stdout)
            let path = try #require(summary["path"] as? String)
            #expect(summary["entries"] as? Int == 2)
            #expect((summary["name"] as? String)?.hasPrefix("netraven-archive-") == true)
            #expect(path.hasSuffix("Z.tar.gz"))
            #expect(try tool("sha256sum", [path]).stdout.hasPrefix((summary["sha256"] as? String ?? "-") + " "))
            #expect(try tool("tar", ["-tzf", path]).stdout == "manifest.json\nlab/r1.cfg\nlab/r2.cfg\n")

            let extracted = directory.path + "/extracted"
            try FileManager.default.createDirectory(atPath: extracted, withIntermediateDirectories: true)
            try tool("tar", ["-xzf", path, "-C", extracted])
            let manifest = try object(try String(contentsOfFile: extracted + "/manifest.json", encoding: .utf8))
            let entries = try #require(manifest["entries"] as? [[String: Any]])
            #expect(entries.map { $0["device"] as? String } == ["r1", "r2"])
            let facts = try #require(entries.first?["facts"] as? [String: String])
            #expect(facts["serial"]?.isEmpty == false, "facts from the capture: \(facts)")
            for entry in entries {
                let file = try #require(entry["path"] as? String)
                let sum = try tool("sha256sum", [file], in: extracted).stdout
                #expect(sum == "\(entry["sha256"] as? String ?? "")  \(file)\n")
            }

            let clean = try netraven(["verify", "--config", config, path], environment: env)
            #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
            #expect(clean.stdout.contains("clean (2 entries checked against the manifest and Git)"), "\(clean.stdout)")

            // One byte changed, bundle rebuilt by GNU tar with the same manifest.
            let config1 = extracted + "/lab/r1.cfg"
            var text = try String(contentsOfFile: config1, encoding: .utf8)
            text = text.replacingOccurrences(of: "hostname r1", with: "hostname R1")
            try text.write(toFile: config1, atomically: true, encoding: .utf8)
            let tampered = directory.path + "/tampered.tar.gz"
            try tool("tar", ["-czf", tampered, "-C", extracted, "manifest.json", "lab/r1.cfg", "lab/r2.cfg"])
            let changed = try netraven(["verify", "--config", config, tampered], environment: env)
            #expect(changed.status == 1)
            #expect(changed.stdout.contains("lab/r1.cfg: sha256: "), "\(changed.stdout)")
            #expect(!changed.stdout.contains("lab/r2.cfg"), "\(changed.stdout)")

            // A member missing, and a commit Git does not know: both reported, as JSON too.
            let commit = try #require(entries[1]["commit"] as? String)
            let manifestText = try String(contentsOfFile: extracted + "/manifest.json", encoding: .utf8)
            try manifestText.replacingOccurrences(of: commit, with: String(repeating: "0", count: 40))
                .write(toFile: extracted + "/manifest.json", atomically: true, encoding: .utf8)
            let broken = directory.path + "/broken.tar.gz"
            try tool("tar", ["-czf", broken, "-C", extracted, "manifest.json", "lab/r2.cfg"])
            let report = try netraven(["verify", "--config", config, "--json", broken], environment: env)
            #expect(report.status == 1)
            let json = try object(report.stdout)
            #expect(json["clean"] as? Bool == false)
            let mismatches = try #require(json["mismatches"] as? [[String: Any]])
            let found = mismatches.map { "\($0["path"] as? String ?? ""):\($0["kind"] as? String ?? "")" }
            #expect(found.contains("lab/r1.cfg:missing"), "\(found)")
            #expect(found.contains("lab/r2.cfg:unknown_commit"), "\(found)")
            let manifestOnly = try netraven(["verify", "--no-git", broken])
            #expect(manifestOnly.status == 1)
            #expect(manifestOnly.stdout.contains("lab/r1.cfg: missing"), "\(manifestOnly.stdout)")
            #expect(!manifestOnly.stdout.contains("unknown_commit"))

            // Selectors as in backup; an unknown one is a usage error.
            let one = try netraven(
                ["archive", "--config", config, "--output", directory.path + "/one", "r2"], environment: env)
            #expect(one.status == 0, "\(one.stderr)")
            #expect(one.stdout.contains("entries: 1 "), "\(one.stdout)")
            let unknown = try netraven(["archive", "--config", config, "--output", out, "nonesuch"], environment: env)
            #expect(unknown.status == 2)
            #expect(unknown.stderr.contains("no device, group or tag named nonesuch"))
            let noFile = try netraven(["verify", "--no-git", directory.path + "/nothing.tar.gz"])
            #expect(noFile.status == 2)
        }
    }
}
