import Foundation
import OpenAPIRuntime

/// RFC 3339 dates with or without fractional seconds on input (both are valid RFC 3339; the
/// runtime's default rejects fractions), and with milliseconds on output.
struct FlexibleDateTranscoder: DateTranscoder {
    func encode(_ date: Date) throws -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    func decode(_ string: String) throws -> Date {
        // try? is right: user input tried in two formats; neither matching is the error thrown below.
        if let date = try? Date(string, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        if let date = try? Date(string, strategy: Date.ISO8601FormatStyle()) { return date }
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "'\(string.prefix(40))' is not an RFC 3339 date-time"))
    }
}
