import CLibPQ
import Foundation

/// Helpers for libpq connection strings, e.g. to point the same server at another database.
public enum PostgresConninfo {
    /// The parameters a keyword/value string or `postgresql://` URI sets explicitly (parsed by
    /// libpq itself; environment defaults are not applied).
    public static func parse(_ conninfo: String) throws -> [(key: String, value: String)] {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            let message = errorMessage.map { String(cString: $0) } ?? "invalid connection string"
            if let errorMessage { PQfreemem(errorMessage) }
            // libpq's message quotes the offending syntax, never a full password value.
            throw PostgresError(kind: .connection, message: message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        defer { PQconninfoFree(options) }
        var result: [(key: String, value: String)] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                result.append((String(cString: keyword), String(cString: value)))
            }
            option += 1
        }
        return result
    }

    /// Formats parameters as `key='value' ...`, quoting every value the way libpq expects.
    public static func keywordString(_ parameters: [(key: String, value: String)]) -> String {
        parameters.map { key, value in
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            return "\(key)='\(escaped)'"
        }.joined(separator: " ")
    }

    /// `conninfo` with its database replaced, as a keyword/value string.
    public static func settingDatabase(_ database: String, in conninfo: String) throws -> String {
        try setting(["dbname": database], in: conninfo)
    }

    /// `conninfo` with these keywords replaced or added (e.g. another `user` and `password`), as
    /// a keyword/value string.
    public static func setting(_ values: [String: String], in conninfo: String) throws -> String {
        var parameters = try parse(conninfo).filter { values[$0.key] == nil }
        parameters.append(contentsOf: values.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) })
        return keywordString(parameters)
    }
}
