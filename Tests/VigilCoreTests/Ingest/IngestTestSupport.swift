import Foundation
@testable import VigilCore

/// Shared helpers for the MetricBatchJSON tests.
enum Ingest {
    /// The benchmark's point shape, with every field present.
    static let fullPoint = #"{"name":"http.request.duration","kind":"timing","value":123.456,"timestamp":"2026-11-30T05:00:00.123Z","tags":{"endpoint":"/api/users","method":"GET","status":"200","host":"web-3"}}"#

    static func body(_ points: [String]) -> String { #"{"points":["# + points.joined(separator: ",") + "]}" }

    /// Parses and returns either the points or the failure, so tables can compare both.
    static func parse(_ text: String, maxPoints: Int = 10_000) -> Result<[RawMetricPoint], ValidationFailure> {
        parse(Array(text.utf8), maxPoints: maxPoints)
    }

    static func parse(_ bytes: [UInt8], maxPoints: Int = 10_000) -> Result<[RawMetricPoint], ValidationFailure> {
        do throws(ValidationFailure) { return .success(try MetricBatchJSON.parse(bytes, maxPoints: maxPoints)) } catch {
            return .failure(error)
        }
    }

    /// 2026-11-30T05:00:00Z as a Date, for expectations.
    static func date(_ secondsSince1970: Int, nanos: Int = 0) -> Date {
        Date(timeIntervalSinceReferenceDate: Double(secondsSince1970 - 978_307_200) + Double(nanos) / 1e9)
    }
    static let nov30 = 1_796_014_800  // 2026-11-30T05:00:00Z

    /// Deterministic PRNG so fuzz failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
