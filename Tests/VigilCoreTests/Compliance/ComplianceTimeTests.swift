import Foundation
import Testing
@testable import VigilCore

/// Compliance timestamps feed certificate checksums: whole seconds, floor, and they parse back
/// to the truncated instant.
struct ComplianceTimeTests {
    static let times: [(TimeInterval, String)] = [
        (0, "1970-01-01T00:00:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (1.9, "1970-01-01T00:00:01Z"),
        (1_800_000_000, "2027-01-15T08:00:00Z"),
        (4_102_444_799, "2099-12-31T23:59:59Z"),
    ]

    @Test(arguments: times.indices)
    func timestamps(index: Int) {
        let (seconds, expected) = Self.times[index]
        let text = ComplianceTime.format(Date(timeIntervalSince1970: seconds))
        #expect(text == expected)
        #expect(RFC3339.parse(text) == ComplianceTime.truncated(Date(timeIntervalSince1970: seconds)))
    }
}
