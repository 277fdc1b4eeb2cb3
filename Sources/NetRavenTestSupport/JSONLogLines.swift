import Foundation

/// The JSON log lines in `path`, each as its fields; a line that is not a JSON object of strings is an error.
public func jsonLogLines(_ path: String) throws -> [[String: String]] {
    struct NotAJSONLine: Error, CustomStringConvertible {
        var line: String
        var description: String { "not a JSON log line: \(line)" }
    }
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return try text.split(separator: "\n").map { line in
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String] else {
            throw NotAJSONLine(line: String(line))
        }
        return object
    }
}
