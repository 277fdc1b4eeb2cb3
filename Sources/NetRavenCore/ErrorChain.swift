/// Renders an error with the errors it wraps, for logs: `archive: commit failed ← caused by: GitError(…)`.
///
/// NetRaven's error structs keep the cause in a stored property named `underlying` (the STYLE convention); the
/// chain follows it through any module's error type without knowing the type. Redaction happens in the log handler.
public enum ErrorChain {
    /// Links followed at most, against an error that (wrongly) contains itself.
    static let maximumDepth = 8

    /// `error` and each underlying error, outermost first, joined with " ← caused by: ".
    public static func describe(_ error: any Error) -> String {
        var parts = ["\(error)"]
        var current: any Error = error
        while parts.count < maximumDepth, let next = underlying(of: current) {
            let text = "\(next)"
            // A message that already quotes its cause says nothing new.
            if !parts.contains(where: { $0.contains(text) }) { parts.append(text) }
            current = next
        }
        return parts.joined(separator: " ← caused by: ")
    }

    /// The error stored in `error`'s `underlying` property, when it has one that is set.
    static func underlying(of error: any Error) -> (any Error)? {
        for child in Mirror(reflecting: error).children where child.label == "underlying" {
            // An optional `underlying` reflects as Optional<…>; unwrap it through its own mirror.
            let value = child.value
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional {
                return mirror.children.first?.value as? any Error
            }
            return value as? any Error
        }
        return nil
    }
}
