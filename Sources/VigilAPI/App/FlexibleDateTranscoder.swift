import Foundation
import OpenAPIRuntime
import VigilPrimitives

/// RFC 3339 dates with or without fractional seconds on input (both are valid RFC 3339; the
/// runtime's default rejects fractions), and with milliseconds on output (integer arithmetic,
/// not a date formatter: every date of every list item passes here).
struct FlexibleDateTranscoder: DateTranscoder {
    func encode(_ date: Date) throws -> String {
        TimestampText.rfc3339Milliseconds(date)
    }

    func decode(_ string: String) throws -> Date {
        // try? is right: user input tried in two formats; neither matching is the error thrown below.
        if let date = try? Date(string, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        if let date = try? Date(string, strategy: Date.ISO8601FormatStyle()) { return date }
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "'\(string.prefix(40))' is not an RFC 3339 date-time"))
    }
}
