import Foundation
import Testing
@testable import VigilCore

/// For valid bodies, MetricBatchJSON must agree with Foundation's JSONDecoder (what the generated
/// Codable types used). Note: JSONSerialization's *parser* on Linux is not correctly rounded (it is
/// off by an ulp for some 17-digit values), so it is used here only to *write* bodies.
struct FoundationCrossCheckTests {
    struct Body: Decodable { var points: [Point] }
    struct Point: Decodable { var name, kind: String; var value: Double; var timestamp: String?; var tags: [String: String]? }

    /// The points Foundation sees in `body` (timestamps via ISO8601DateFormatter).
    static func foundationPoints(_ body: [UInt8]) throws -> [RawMetricPoint] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        return try JSONDecoder().decode(Body.self, from: Data(body)).points.map { p in
            let stamp = p.timestamp.flatMap { formatter.date(from: $0) ?? plain.date(from: $0) }
            return RawMetricPoint(name: p.name, kind: p.kind, value: p.value, timestamp: stamp, tags: p.tags)
        }
    }

    static func check(_ body: [UInt8]) throws {
        let ours = try MetricBatchJSON.parse(body, maxPoints: 10_000)
        let theirs = try foundationPoints(body)
        try #require(ours.count == theirs.count)
        for (a, b) in zip(ours, theirs) {
            #expect(a.name == b.name && a.kind == b.kind && a.tags == b.tags)
            #expect(a.value.bitPattern == b.value.bitPattern, "\(a.value) vs \(b.value)")
            #expect((a.timestamp == nil) == (b.timestamp == nil))
            if let x = a.timestamp, let y = b.timestamp { #expect(abs(x.timeIntervalSince(y)) < 1e-6) }
        }
    }

    /// Deliberate differences from JSONDecoder, covered by the valid-case table instead:
    /// duplicate keys (JSONDecoder keeps the first, we keep the last, as RFC 8259 parsers usually
    /// do) and `1e-400` (JSONDecoder rejects underflow; we round it to 0 like strtod).
    static let differsFromJSONDecoder: Set<String> = [
        "duplicate keys: last wins", "duplicate points key: last wins", "huge but finite and underflowing numbers",
    ]

    @Test(arguments: MetricBatchJSONValidTests.cases.filter { !differsFromJSONDecoder.contains($0.label) })
    func handWrittenCorpus(_ c: MetricBatchJSONValidTests.Case) throws {
        try Self.check(Array(c.body.utf8))
    }

    /// Random bodies built with JSONSerialization itself (so Foundation's escaping and number
    /// formatting are what we read), with millisecond timestamps ISO8601DateFormatter can parse.
    @Test func generatedCorpus() throws {
        var rng = Ingest.SplitMix(state: 5)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        func word() -> String {
            String((0..<Int.random(in: 0...12, using: &rng)).map { _ in
                "abcXYZ09 ._/\"\\\n\té中😀".randomElement(using: &rng)!
            })
        }
        for _ in 0..<300 {
            var points: [[String: Any]] = []
            for _ in 0..<Int.random(in: 0...10, using: &rng) {
                var p: [String: Any] = ["name": word(), "kind": word(),
                                        "value": Double.random(in: -1e9...1e9, using: &rng) * pow(10, Double.random(in: -20...20, using: &rng))]
                if Bool.random(using: &rng) {
                    p["timestamp"] = formatter.string(from: Date(timeIntervalSince1970: Double(Int64.random(in: 0...4_000_000_000_000, using: &rng)) / 1000))
                }
                if Bool.random(using: &rng) { p["tags"] = Dictionary((0..<3).map { _ in (word(), word()) }, uniquingKeysWith: { $1 }) }
                if Bool.random(using: &rng) { p["extra"] = ["nested": [1, 2.5, true, NSNull(), word()]] }
                points.append(p)
            }
            try Self.check(Array(try JSONSerialization.data(withJSONObject: ["points": points, "meta": ["v": 1]])))
        }
    }
}
