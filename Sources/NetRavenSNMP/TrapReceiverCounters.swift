/// What the receiver has seen since it started; a snapshot, safe to read from any thread.
public struct TrapReceiverCounters: Sendable, Equatable {
    /// Accepted traps and informs, per version (after the community or USM check).
    public var receivedV1 = 0
    public var receivedV2c = 0
    public var receivedV3 = 0
    /// v1/v2c messages whose community matched none configured: dropped, never delivered.
    public var badCommunity = 0
    /// v3 messages USM rejected (unknown user or engine id, wrong key, below authNoPriv): dropped.
    public var usmFailures = 0
    /// Messages that are not traps or informs, or lack snmpTrapOID.0: dropped.
    public var malformed = 0
    /// Traps the handler refused (not journaled); informs among them were not acknowledged.
    public var rejectedByHandler = 0
    /// Informs answered with a Response after the handler accepted them.
    public var informsAcknowledged = 0

    public init() {}
}
