import ArgumentParser
import Foundation
import NetRavenCore
import NetRavenJournal

extension NetRavenCommand {
    /// Lists the events the journal holds.
    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List accepted change events from the journal, newest first: who, from where, which job.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var filter: JournalListOptions

        func run() async throws {
            let access = try await JournalAccess(global: global)
            let device = filter.device
            let events = try await access.query { [filter] in try await $0.events(device: device, limit: filter.limit) }
            if global.json {
                for item in events { Output.line(Self.json(item)) }
                return
            }
            guard !events.isEmpty else {
                Output.line(device.map { "no events for \($0) in the journal" } ?? "no events in the journal")
                return
            }
            var table = TextTable(["RECEIVED", "DEVICE", "KIND", "CHANGE", "USER", "SOURCE", "RULE", "JOB", "EVENT"])
            for item in events {
                let event = item.event
                table.add([
                    listingDate(item.receivedAt), event.device, event.kind.rawValue,
                    event.change?.rawValue ?? "-", event.user ?? "-", event.source ?? "-", event.rule ?? "-",
                    item.jobID ?? "(waiting)", event.id,
                ])
            }
            table.lines.forEach(Output.line)
        }

        static func json(_ item: JournaledEvent) -> String {
            let event = item.event
            return jsonLine([
                ("id", event.id), ("device", event.device), ("kind", event.kind.rawValue),
                ("change", event.change?.rawValue), ("user", event.user), ("source", event.source),
                ("time", listingDate(event.time)), ("commit", event.commit), ("rule", event.rule),
                ("peer", item.peer), ("transport", item.transport),
                ("received_at", listingDate(item.receivedAt)), ("job", item.jobID),
                ("raw", event.raw),
            ])
        }
    }
}
