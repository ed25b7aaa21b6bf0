import Foundation
@testable import VigilCore

/// Literal instants and zones for the tables; a literal that does not parse is a test bug.
enum KPIFixture {
    static func instant(_ rfc3339: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: rfc3339) else { fatalError("bad RFC 3339 literal \(rfc3339)") }
        return date
    }

    static func zone(_ identifier: String) -> TimeZone {
        guard let zone = TimeZone(identifier: identifier) else { fatalError("unknown zone \(identifier)") }
        return zone
    }

    static func day(_ text: String) -> LocalDate {
        let parts = text.split(separator: "-").map { Int($0)! }
        guard let date = LocalDate(year: parts[0], month: parts[1], day: parts[2]) else { fatalError("bad date \(text)") }
        return date
    }
}

/// SplitMix64: a tiny deterministic generator, so property tests explore many cases yet fail
/// the same way on every run (the seed is in the test).
struct KPISplitMix: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0..<bound.
    mutating func int(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
