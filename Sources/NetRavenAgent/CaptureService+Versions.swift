import Logging
import NetRavenGit

extension CaptureService {
    /// After a commit: the version index learns it, and an automatic pack (or its failure) is told.
    func recordVersion(_ outcome: CommitOutcome) async {
        await versions.record(outcome)
        if let pack = outcome.pack, pack.packedObjects > 0 {
            logger.info(
                "archive packed its loose objects",
                metadata: ["objects": "\(pack.packedObjects)", "pack": "\(pack.packName ?? "")"])
        }
        if let failure = outcome.packFailure {
            logger.warning(
                "archive could not pack its loose objects; they stay loose", metadata: ["reason": "\(failure)"])
        }
    }
}
