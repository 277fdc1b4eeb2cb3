import Foundation

/// A strict reader of the Prometheus text exposition format (0.0.4), for tests of `/metrics`: every sample must
/// belong to a family declared by `# TYPE`, names and labels must be well formed, values must be numbers, and a
/// histogram's buckets must be cumulative with `+Inf` equal to its `_count`.
public struct PrometheusText {
    /// One sample line.
    public struct Sample: Equatable, Sendable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    /// A metric family: its `# TYPE`, `# HELP` and samples.
    public struct Family: Sendable {
        public var name: String
        public var type: String
        public var help: String?
        public var samples: [Sample] = []
    }

    /// What is wrong with an exposition, with the line number.
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// The families, by name.
    public private(set) var families: [String: Family] = [:]

    /// Parses `text`; throws the first problem found.
    public init(_ text: String) throws {
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            let number = index + 1
            func fail(_ what: String) -> Problem { Problem(description: "line \(number): \(what): \(line)") }
            if line.isEmpty { continue }
            if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ")
                guard parts.count == 2, Self.isName(String(parts[0])),
                    ["counter", "gauge", "histogram", "summary", "untyped"].contains(String(parts[1]))
                else { throw fail("bad TYPE line") }
                let name = String(parts[0])
                guard families[name] == nil || families[name]?.type == "" else { throw fail("second TYPE for \(name)") }
                families[name, default: Family(name: name, type: "")].type = String(parts[1])
                continue
            }
            if line.hasPrefix("# HELP ") {
                let rest = line.dropFirst(7)
                guard let space = rest.firstIndex(of: " ") else { throw fail("HELP without text") }
                let name = String(rest[..<space])
                families[name, default: Family(name: name, type: "")].help = String(rest[rest.index(after: space)...])
                continue
            }
            if line.hasPrefix("#") { continue }
            let sample = try Self.sample(line) ?? { throw fail("malformed sample") }()
            guard let family = familyName(of: sample.name) else { throw fail("sample of an undeclared family") }
            families[family]?.samples.append(sample)
        }
        for family in families.values where family.type.isEmpty {
            throw Problem(description: "\(family.name) has HELP but no TYPE")
        }
        for family in families.values where family.type == "histogram" {
            try Self.checkHistogram(family)
        }
    }

    /// The samples named `name` (a family, or `name_bucket` etc.) whose labels include `labels`.
    public func samples(_ name: String, _ labels: [String: String] = [:]) -> [Sample] {
        families.values.flatMap(\.samples).filter { sample in
            sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }
    }

    /// The value of the one sample named `name` with `labels`, nil when there is none.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples(name, labels).first?.value
    }

    private func familyName(of sample: String) -> String? {
        if let family = families[sample], !family.type.isEmpty { return sample }
        for suffix in ["_bucket", "_sum", "_count"] where sample.hasSuffix(suffix) {
            let base = String(sample.dropLast(suffix.count))
            if let family = families[base], ["histogram", "summary"].contains(family.type) { return base }
        }
        return nil
    }

    static func isName(_ text: String) -> Bool {
        text.range(of: "^[a-zA-Z_:][a-zA-Z0-9_:]*$", options: .regularExpression) != nil
    }

    /// `name{a="x",b="y"} value`, with `\\`, `\"` and `\n` escapes in label values.
    static func sample(_ line: String) -> Sample? {
        var rest = Substring(line)
        let nameEnd = rest.firstIndex { $0 == "{" || $0 == " " } ?? rest.endIndex
        let name = String(rest[..<nameEnd])
        guard isName(name) else { return nil }
        rest = rest[nameEnd...]
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                guard let equals = rest.firstIndex(of: "=") else { return nil }
                let key = String(rest[..<equals])
                guard isName(key), !key.hasPrefix("__"), labels[key] == nil else { return nil }
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"" else { return nil }
                rest = rest.dropFirst()
                var value = ""
                var closed = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if character == "\\" {
                        guard let next = rest.first else { return nil }
                        rest = rest.dropFirst()
                        switch next {
                        case "n": value.append("\n")
                        case "\\", "\"": value.append(next)
                        default: return nil
                        }
                    } else if character == "\"" {
                        closed = true
                        break
                    } else {
                        value.append(character)
                    }
                }
                guard closed else { return nil }
                labels[key] = value
                if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" { return nil }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { return nil }
        let fields = rest.dropFirst().split(separator: " ")
        guard (1...2).contains(fields.count), let value = number(String(fields[0])) else { return nil }
        return Sample(name: name, labels: labels, value: value)
    }

    static func number(_ text: String) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text)
        }
    }

    /// Per label set: `le` bounds ascending and ending at `+Inf`, counts never decreasing, `+Inf` equal to `_count`.
    static func checkHistogram(_ family: Family) throws {
        let buckets = family.samples.filter { $0.name == family.name + "_bucket" }
        var series: [[String: String]: [(Double, Double)]] = [:]
        for bucket in buckets {
            guard let le = bucket.labels["le"], let bound = number(le) else {
                throw Problem(description: "\(family.name): bucket without a numeric le")
            }
            var key = bucket.labels
            key["le"] = nil
            series[key, default: []].append((bound, bucket.value))
        }
        guard !series.isEmpty else { throw Problem(description: "\(family.name): histogram without buckets") }
        for (labels, points) in series {
            let bounds = points.map(\.0)
            guard bounds == bounds.sorted(), bounds.last == .infinity else {
                throw Problem(description: "\(family.name)\(labels): le bounds not ascending to +Inf: \(bounds)")
            }
            let counts = points.map(\.1)
            guard zip(counts, counts.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                throw Problem(description: "\(family.name)\(labels): bucket counts decrease: \(counts)")
            }
            let count = family.samples.first { $0.name == family.name + "_count" && $0.labels == labels }
            guard count?.value == counts.last else {
                throw Problem(description: "\(family.name)\(labels): +Inf bucket \(counts.last ?? -1) != _count")
            }
        }
    }
}
