import Foundation
import VigilCore
import VigilPrimitives
import VigilServices

/// Path and query values every area parses the same way, and the bridge between generated
/// bodies and core Codable types of the same JSON shape.
extension APIController {
    /// A text filter from the query string, refused (400) past the length the spec states: a
    /// longer value could match nothing, but a limit the spec promises is a limit the server keeps.
    static func bounded(_ text: String?, field: String, minLength: Int = 0, maxLength: Int) throws -> String? {
        guard let text, text.unicodeScalars.count > maxLength || text.unicodeScalars.count < minLength else { return text }
        throw ServiceError.invalid(field: field, message: minLength > 0
            ? "\(field) must be \(minLength) to \(maxLength) characters" : "\(field) must be at most \(maxLength) characters")
    }

    static func uuid(_ text: String, field: String = "id") throws -> UUID {
        guard let id = UUID(uuidString: text) else { throw ServiceError.invalid(field: field, message: "\(field) must be a uuid") }
        return id
    }

    static func day(_ text: String?, field: String) throws -> LocalDate? {
        guard let text else { return nil }
        guard let day = LocalDate(parsing: text) else { throw ServiceError.invalid(field: field, message: "\(field) must be a date, YYYY-MM-DD") }
        return day
    }

    /// Between a generated body and a core Codable type with the same JSON shape: the core
    /// decoder does the validation the schema cannot (aggregation streams, SLO kinds).
    static func convert<T: Decodable>(_ value: some Encodable, to type: T.Type, adding extra: [String: String] = [:], field: String) throws -> T {
        var object = (try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any]) ?? [:]
        for (key, value) in extra { object[key] = value }
        do {
            return try JSONDecoder().decode(type, from: JSONSerialization.data(withJSONObject: object))
        } catch DecodingError.keyNotFound(let key, let context) {
            let path = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            throw ServiceError.invalid(field: path, message: "\(path) is required for this \(field)")
        } catch let error as DecodingError {
            throw ServiceError.invalid(field: field, message: "invalid \(field): \(Self.describe(error))")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let c), .keyNotFound(_, let c), .typeMismatch(_, let c), .valueNotFound(_, let c):
            let path = c.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? c.debugDescription : "\(path): \(c.debugDescription)"
        @unknown default: return "unreadable"
        }
    }

    /// A core value as the generated type of the same JSON shape.
    static func response<T: Decodable>(_ value: some Encodable, as type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: JSONEncoder().encode(value))
    }
}
