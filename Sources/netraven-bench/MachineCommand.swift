import ArgumentParser
import Foundation

/// Prints the machine a benchmark ran on as one JSON object: CPU model, cores, memory, kernel.
struct MachineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "machine", abstract: "Print the machine (CPU, cores, memory, kernel) as JSON.")

    func run() throws {
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuInfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        let memInfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let memoryKiB = memInfo.split(separator: "\n").first { $0.hasPrefix("MemTotal:") }
            .flatMap { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first }
            .flatMap { Int($0) } ?? 0
        let kernel = ((try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)) ?? "unknown")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let machine: [String: String] = [
            "cpu": model,
            "cores": String(ProcessInfo.processInfo.activeProcessorCount),
            "memory_gib": String(format: "%.1f", Double(memoryKiB) / 1_048_576),
            "kernel": kernel,
        ]
        let data = try JSONSerialization.data(withJSONObject: machine, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
