import CLibPQ
import Foundation

/// Thin helpers over libpq's C API. Everything here runs on a connection's executor thread and
/// takes the raw PGconn; each function that receives a PGresult clears it.
enum LibPQ {
    // PG_DIAG_* from postgres_ext.h: character-literal macros, which Swift does not import.
    static let diagSeverityNonLocalized = Int32(UInt8(ascii: "V"))
    static let diagSQLState = Int32(UInt8(ascii: "C"))
    static let diagMessagePrimary = Int32(UInt8(ascii: "M"))
    static let diagMessageDetail = Int32(UInt8(ascii: "D"))
    static let diagMessageHint = Int32(UInt8(ascii: "H"))
    static let diagConstraintName = Int32(UInt8(ascii: "n"))

    static func field(_ result: OpaquePointer, _ code: Int32) -> String? {
        guard let value = PQresultErrorField(result, code) else { return nil }
        return String(cString: value)
    }

    static func errorMessage(_ conn: OpaquePointer) -> String {
        let message = PQerrorMessage(conn).map { String(cString: $0) } ?? ""
        let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "unknown libpq error" : trimmed
    }

    static func isBad(_ conn: OpaquePointer) -> Bool {
        PQstatus(conn) == CONNECTION_BAD
    }

    /// A PostgresError for the connection itself (no result to read fields from).
    static func connectionError(_ conn: OpaquePointer, context: String? = nil) -> PostgresError {
        let message = errorMessage(conn)
        return PostgresError(kind: .connection, message: context.map { "\($0): \(message)" } ?? message)
    }

    /// Builds a PostgresError from a failed result (does not clear it).
    static func error(from result: OpaquePointer, conn: OpaquePointer) -> PostgresError {
        let sqlState = field(result, LibPQ.diagSQLState)
        let severity = field(result, LibPQ.diagSeverityNonLocalized)
        let fallback = PQresultErrorMessage(result).map { String(cString: $0) }?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let message = field(result, LibPQ.diagMessagePrimary) ?? fallback.flatMap { $0.isEmpty ? nil : $0 }
            ?? errorMessage(conn)
        // A FATAL error, a lost socket, or SQLSTATE class 08 / 57P0x all mean the session is gone.
        let lost = isBad(conn) || severity == "FATAL" || severity == "PANIC"
            || sqlState?.hasPrefix("08") == true || ["57P01", "57P02", "57P03"].contains(sqlState ?? "")
        return PostgresError(
            kind: lost ? .connection : .server,
            sqlState: sqlState,
            message: message,
            detail: field(result, LibPQ.diagMessageDetail),
            hint: field(result, LibPQ.diagMessageHint),
            constraint: field(result, LibPQ.diagConstraintName)
        )
    }

    /// Turns the result of one statement into rows or a thrown error, and clears it.
    static func consume(_ result: OpaquePointer?, conn: OpaquePointer) throws -> PostgresRows {
        guard let result else { throw connectionError(conn) }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        switch status {
        case PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE:
            return rows(from: result)
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return PostgresRows(rows: [], affectedRows: affectedRows(result))
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            try abortCopy(status: status, conn: conn)
            throw PostgresError(kind: .copy, message: "COPY FROM STDIN / TO STDOUT is only supported through copyFrom")
        default:
            throw error(from: result, conn: conn)
        }
    }

    static func affectedRows(_ result: OpaquePointer) -> Int {
        guard let tuples = PQcmdTuples(result) else { return 0 }
        return Int(String(cString: tuples)) ?? 0
    }

    static func rows(from result: OpaquePointer) -> PostgresRows {
        let rowCount = Int(PQntuples(result))
        let fieldCount = PQnfields(result)
        let columns = PostgresColumns(
            names: (0..<fieldCount).map { PQfname(result, $0).map { String(cString: $0) } ?? "?column?" }
        )
        var rows: [PostgresRow] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<Int32(rowCount) {
            var values: [String?] = []
            values.reserveCapacity(Int(fieldCount))
            for column in 0..<fieldCount {
                if PQgetisnull(result, row, column) != 0 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, row, column)))
                }
            }
            rows.append(PostgresRow(columns: columns, values: values))
        }
        return PostgresRows(rows: rows, affectedRows: affectedRows(result))
    }

    /// Gets the connection out of an unexpected COPY state so it stays usable.
    static func abortCopy(status: ExecStatusType, conn: OpaquePointer) throws {
        switch status {
        case PGRES_COPY_IN:
            guard PQputCopyEnd(conn, "COPY FROM STDIN is only supported through copyFrom") == 1 else {
                throw connectionError(conn, context: "could not abort COPY")
            }
        case PGRES_COPY_OUT:
            var buffer: UnsafeMutablePointer<CChar>?
            while PQgetCopyData(conn, &buffer, 0) > 0 {
                PQfreemem(buffer)
                buffer = nil
            }
        default:
            throw PostgresError(kind: .connection, message: "connection entered COPY BOTH mode unexpectedly")
        }
        drainResults(conn)
    }

    /// Reads and clears results until libpq says the command is complete.
    static func drainResults(_ conn: OpaquePointer) {
        while let result = PQgetResult(conn) {
            let status = PQresultStatus(result)
            PQclear(result)
            // Guard against looping forever if the connection is stuck in a COPY state.
            if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH || isBad(conn) {
                break
            }
        }
    }

    /// Runs `body` with a NULL-terminated array of C strings (freed afterwards).
    static func withCStringArray<R>(
        _ strings: [String?],
        _ body: (UnsafePointer<UnsafePointer<CChar>?>) throws -> R
    ) rethrows -> R {
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } } + [nil]
        defer { pointers.forEach { free($0) } }
        return try pointers.withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { rebound in
                try body(rebound.baseAddress!)
            }
        }
    }
}
