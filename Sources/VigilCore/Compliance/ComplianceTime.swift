import Foundation
import VigilPrimitives

/// Timestamps in compliance documents: RFC 3339 UTC with whole seconds (`2026-05-01T12:00:00Z`).
///
/// Formatted by arithmetic (`TimestampText`), not a `DateFormatter`, so the bytes never depend
/// on locale, calendar settings or the platform's Foundation — they feed checksums (erasure
/// certificates) that must recompute identically years later. Sub-second parts are dropped
/// (floor), so a document that is parsed back renders to the same bytes. Parse with `RFC3339.parse`.
enum ComplianceTime {
    static func format(_ date: Date) -> String {
        TimestampText.rfc3339(date)
    }

    /// The date at whole-second precision, as `format` would render it.
    static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: floor(date.timeIntervalSince1970))
    }
}
