public import Foundation
public import NetRavenCore

/// An accepted event as the journal holds it: the event, how it arrived, and the job that captures it.
public struct JournaledEvent: Sendable, Equatable {
    public var event: ChangeEvent
    /// The address the message came from (`192.0.2.7:514`), when it came over the network.
    public var peer: String?
    /// How it arrived (`udp`, `tcp`, `tls`, `trap`, `inform`, ...).
    public var transport: String?
    /// When the journal wrote it.
    public var receivedAt: Date
    /// The most recent job that holds the event; nil while no job does yet.
    public var jobID: String?
    /// Every job that holds the event, oldest first (an event during a collection also starts the next job).
    public var jobIDs: [String]

    public init(
        event: ChangeEvent, peer: String? = nil, transport: String? = nil, receivedAt: Date, jobIDs: [String] = []
    ) {
        self.event = event
        self.peer = peer
        self.transport = transport
        self.receivedAt = receivedAt
        self.jobID = jobIDs.last
        self.jobIDs = jobIDs
    }
}
