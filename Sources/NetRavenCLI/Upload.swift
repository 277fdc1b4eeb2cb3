import ArgumentParser
import Foundation
import NetRavenCore
import NetRavenGit
import NetRavenS3

extension NetRavenCommand {
    /// Uploads the newest stored version of devices to S3 now (the daemon does this after each commit).
    struct Upload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upload the newest stored version of devices to the S3 bucket and verify it.",
            discussion: "Without devices: every device with a stored version. Exit status 1 when an upload failed.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Devices, groups or tags (default: all).") var devices: [String] = []

        func run() async throws {
            let access = try ArchiveAccess(global: global)
            guard let settings = access.configuration.s3 else {
                Output.error("netraven: upload needs an s3: section in \(global.configPath)")
                throw ExitCode(ExitStatus.usage)
            }
            var selected = access.configuration.devices
            var unmatched: [String] = []
            if !devices.isEmpty { (selected, unmatched) = access.configuration.select(devices) }
            if !unmatched.isEmpty {
                Output.error("netraven: no device, group or tag named \(unmatched.joined(separator: ", "))")
                throw ExitCode(ExitStatus.usage)
            }
            let client: S3Client
            do {
                client = try S3Client(settings: settings)
            } catch {
                Output.error("netraven: \(error)")
                throw ExitCode(ExitStatus.usage)
            }
            let uploader = VersionUploader(client: client)
            var failed = 0
            try await access.use {
                for device in selected {
                    let line = await upload(device, access: access, uploader: uploader)
                    if line.failed { failed += 1 }
                    Output.line(line.text)
                }
            }
            try? await client.shutdown()
            if failed > 0 { throw ExitCode(ExitStatus.partialFailure) }
        }

        private func upload(
            _ device: Device, access: ArchiveAccess, uploader: VersionUploader
        ) async -> (text: String, failed: Bool) {
            do {
                let path = try access.layout.configPath(for: device)
                guard let commit = try await access.archive.history(path: path, limit: 1).first,
                    let text = try await access.archive.read(path: path, revision: commit.id)
                else { return (jsonOrText(device.name, "skipped", "no stored version"), false) }
                let uploaded = try await uploader.upload(
                    VersionUpload(
                        device: device.name, devicePath: S3ObjectLayout.devicePath(forArchivePath: path),
                        commit: commit.id, trigger: commit.trailer("Trigger") ?? "manual",
                        user: commit.trailer("Changed-By"), committedAt: commit.committer.date,
                        source: .bytes(Data(text.utf8))))
                return (jsonOrText(device.name, "uploaded", uploaded.snapshotKey), false)
            } catch {
                return (jsonOrText(device.name, "failed", "\(error)"), true)
            }
        }

        private func jsonOrText(_ device: String, _ status: String, _ detail: String) -> String {
            global.json
                ? "{\"device\":\(jsonString(device)),\"status\":\(jsonString(status)),\"detail\":\(jsonString(detail))}"
                : "\(device): \(status) \(detail)"
        }
    }
}
