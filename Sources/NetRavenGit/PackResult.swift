/// What packing the archive's loose objects did (`ConfigArchive.packLooseObjects`, or automatically after a commit).
public struct PackResult: Sendable, Equatable {
    /// Loose objects written into the new pack and then removed; 0 when there was nothing to pack.
    public var packedObjects: Int
    /// File name of the new pack in `objects/pack` (`pack-<sha>.pack`); nil when nothing was packed.
    public var packName: String?

    /// Creates a result.
    public init(packedObjects: Int, packName: String?) {
        self.packedObjects = packedObjects
        self.packName = packName
    }
}
