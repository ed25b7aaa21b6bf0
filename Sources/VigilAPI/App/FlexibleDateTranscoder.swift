import Foundation
import OpenAPIRuntime
import VigilCore
import VigilPrimitives

/// RFC 3339 dates with or without fractional seconds on input (both are valid RFC 3339; the
/// runtime's default rejects fractions), read by the core's strict `RFC3339` parser, and with
/// milliseconds on output (integer arithmetic, not a date formatter: every date of every list
/// item passes here).
struct FlexibleDateTranscoder: DateTranscoder {
    func encode(_ date: Date) throws -> String {
        TimestampText.rfc3339Milliseconds(date)
    }

    /// Any RFC 3339 date-time (`format: date-time` in the spec), offsets up to ±23:59
    /// included — Foundation's ISO 8601 style refused offsets past ±18 h, which are valid.
    func decode(_ string: String) throws -> Date {
        if let date = RFC3339.parse(string) { return date }
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "'\(string.prefix(40))' is not an RFC 3339 date-time"))
    }
}
