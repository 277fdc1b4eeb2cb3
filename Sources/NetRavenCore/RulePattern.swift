import Foundation

/// A regular expression from a rules or configuration file, remembered with where it was written.
///
/// ICU syntax (NSRegularExpression), anchors match at line boundaries when the pattern is used on whole text.
public struct RulePattern: Sendable, CustomStringConvertible {
    /// The pattern as written.
    public let source: String
    /// Where it was written, for messages about it.
    public let location: SourceLocation?
    /// Whether it was compiled to ignore case (a literal prefilter must then not be case-sensitive).
    public let isCaseInsensitive: Bool
    private let box: Box
    /// Bytes every match contains (empty: none known); a subject without them is not handed to ICU.
    let requiredBytes: [UInt8]

    /// NSRegularExpression is immutable and documented as safe to share between threads.
    private final class Box: @unchecked Sendable {
        let regex: NSRegularExpression
        init(_ regex: NSRegularExpression) { self.regex = regex }
    }

    /// Why a pattern could not be compiled.
    public struct InvalidPattern: Error, Sendable {
        public var reason: String
    }

    public init(_ source: String, location: SourceLocation? = nil, caseInsensitive: Bool = false) throws {
        do {
            var options: NSRegularExpression.Options = [.anchorsMatchLines]
            if caseInsensitive { options.insert(.caseInsensitive) }
            box = Box(try NSRegularExpression(pattern: source, options: options))
        } catch {
            throw InvalidPattern(reason: Self.reason(for: error))
        }
        self.source = source
        self.location = location
        isCaseInsensitive = caseInsensitive
        // The literal the pattern starts with, or the longest one it requires anywhere (`^\s*enable secret` has no
        // leading literal but requires "enable "), whichever is longer: the longer, the fewer lines reach ICU.
        let leading = Self.requiredLiteral(of: source, caseInsensitive: caseInsensitive)
        let anywhere = RuleLiteral(pattern: source, caseInsensitive: caseInsensitive)?.bytes ?? []
        requiredBytes = anywhere.count > leading.count ? anywhere : leading
    }

    public var description: String { source }

    /// False when the pattern cannot match the UTF-8 `text` (it lacks the literal every match contains); true means
    /// only "ask the regular expression". Lets a caller skip making a String of text that cannot match.
    func mayMatch(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        ByteLines.contains(text, requiredBytes)
    }

    /// Whether the pattern matches anywhere in `text`.
    public func matches(_ text: String) -> Bool {
        guard Self.contains(text, literal: requiredBytes) else { return false }
        let range = NSRange(text.startIndex..., in: text)
        return box.regex.firstMatch(in: text, options: [], range: range) != nil
    }

    /// The first match: the whole match's range and the named capture groups that took part.
    public func firstMatch(in text: String, groups: [String] = []) -> Match? {
        guard Self.contains(text, literal: requiredBytes) else { return nil }
        let range = NSRange(text.startIndex..., in: text)
        guard let result = box.regex.firstMatch(in: text, options: [], range: range),
            let whole = Range(result.range, in: text)
        else { return nil }
        var captured: [String: String] = [:]
        var capturedRanges: [String: Range<String.Index>] = [:]
        for name in groups {
            let groupRange = result.range(withName: name)
            if groupRange.location != NSNotFound, let swiftRange = Range(groupRange, in: text) {
                captured[name] = String(text[swiftRange])
                capturedRanges[name] = swiftRange
            }
        }
        var numbered: [String?] = []
        if result.numberOfRanges > 1 {
            for index in 1..<result.numberOfRanges {
                let groupRange = result.range(at: index)
                numbered.append(
                    groupRange.location == NSNotFound ? nil : Range(groupRange, in: text).map { String(text[$0]) })
            }
        }
        return Match(range: whole, groups: captured, groupRanges: capturedRanges, numbered: numbered)
    }

    /// The names of the capture groups the pattern declares (`(?<name>...)`).
    public var groupNames: [String] {
        // NSRegularExpression has no API for this: find the declarations in the source.
        var names: [String] = []
        var rest = Substring(source)
        while let start = rest.range(of: "(?<") {
            let after = rest[start.upperBound...]
            if after.first == "=" || after.first == "!" {
                rest = after
                continue
            }
            if let end = after.firstIndex(of: ">") {
                names.append(String(after[..<end]))
                rest = after[end...]
            } else {
                break
            }
        }
        return names
    }

    /// A match of a `RulePattern`.
    public struct Match: Sendable {
        public var range: Range<String.Index>
        public var groups: [String: String]
        public var groupRanges: [String: Range<String.Index>]
        /// Numbered groups 1...n, nil where a group did not take part.
        public var numbered: [String?]
    }

    private static func reason(for error: any Error) -> String {
        let ns = error as NSError
        if let detail = ns.userInfo["NSInvalidValue"] as? String {
            return "invalid pattern '\(detail)'"
        }
        return "ICU could not compile it (\(ns.code))"
    }
}
