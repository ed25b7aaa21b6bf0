import Foundation
import Logging
import VigilCore
import VigilRepositories

/// JSON documents read back from the database (specs, secrets, details, summaries). Vigil wrote
/// every one of them, so one that does not decode is a corrupt row — edited by hand, restored
/// from a bad backup, or written by a buggy version — and must never be read as a default
/// value: that would hide the damage (an SLO would vanish, a webhook would go out unsigned, an
/// erasure would miss a series). Each read either throws (a 500 with a log line in the API, a
/// failed job with the reason in the worker) or, where one bad row must not stop the others,
/// logs an error and skips the row.
public enum StoredJSON {
    static let logger = Logger(label: "vigil.stored-json")

    /// Decodes a stored document, or throws `RepositoryError.corruptRow` naming the row (never
    /// its content, which may hold secrets or personal data).
    /// - Parameter row: which row, such as "slos 1f0c…"; built only on failure.
    public static func decode<T: Decodable>(_ type: T.Type, _ text: String, row: @autoclosure () -> String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw RepositoryError.corruptRow("\(row()) does not decode as \(T.self): \(describe(error))")
        }
    }

    /// `decode` for loops over many independent rows (every active silence, every channel of a
    /// storm summary), where one bad row must not stop the others: logs the corruption as an
    /// error and returns nil so the caller skips the row.
    static func decodeOrSkip<T: Decodable>(_ type: T.Type, _ text: String, row: @autoclosure () -> String) -> T? {
        do {
            return try decode(type, text, row: row())
        } catch {
            logger.error("skipped a corrupt row", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Where in the document and what was wrong, without the offending values.
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let c), .keyNotFound(_, let c), .typeMismatch(_, let c), .valueNotFound(_, let c):
            let path = c.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? c.debugDescription : "\(path): \(c.debugDescription)"
        @unknown default:
            return "unreadable"
        }
    }
}
