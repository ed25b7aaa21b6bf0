import CLibPQ

extension PostgresConnection {
    /// Bulk-loads rows with `COPY ... FROM STDIN` in text format and returns the number of rows
    /// the server copied.
    ///
    /// Values are escaped here (`\\`, tab, newline, carriage return; nil becomes `\N`) and sent
    /// in ~64 KiB chunks. A bad value fails the whole COPY atomically: the server's error
    /// (with its SQLSTATE, e.g. 22P02) is thrown and no row is inserted.
    public func copyFrom(_ copySQL: String, rows: [[String?]]) async throws -> Int {
        logger.trace("copy", metadata: ["pg.sql": "\(copySQL)", "pg.rows": "\(rows.count)"])
        let state = self.state
        return try await onConnectionThread { conn in
            try Self.sendDeferredBegin(state, conn: conn)
            return try CopyIn.run(conn: conn, sql: copySQL, rows: rows)
        }
    }
}

enum CopyIn {
    static let chunkSize = 64 * 1024

    static func run(conn: OpaquePointer, sql: String, rows: [[String?]]) throws -> Int {
        guard let start = PQexec(conn, sql) else { throw LibPQ.connectionError(conn) }
        let startStatus = PQresultStatus(start)
        guard startStatus == PGRES_COPY_IN else {
            // Not a COPY FROM STDIN: report the server's error, or refuse anything else.
            _ = try LibPQ.consume(start, conn: conn)
            throw PostgresError(kind: .copy, message: "copyFrom needs a 'COPY ... FROM STDIN' statement")
        }
        PQclear(start)

        var clientError: String?
        var buffer: [UInt8] = []
        buffer.reserveCapacity(chunkSize + 1024)
        for row in rows {
            appendLine(row, to: &buffer)
            if buffer.count >= chunkSize {
                if !send(buffer, conn: conn) {
                    // Usually the server already rejected the data; its error follows below.
                    clientError = LibPQ.errorMessage(conn)
                    break
                }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if clientError == nil, !buffer.isEmpty, !send(buffer, conn: conn) {
            clientError = LibPQ.errorMessage(conn)
        }
        // Passing an error message makes the server abort the COPY instead of committing it.
        _ = PQputCopyEnd(conn, clientError == nil ? nil : "client aborted COPY")

        var serverError: PostgresError?
        var copied = 0
        while let result = PQgetResult(conn) {
            let status = PQresultStatus(result)
            if status == PGRES_COMMAND_OK {
                copied = LibPQ.affectedRows(result)
            } else if status == PGRES_COPY_IN {
                // Still in COPY (PQputCopyEnd could not be sent): the connection is unusable.
                PQclear(result)
                throw PostgresError(kind: .connection, message: "could not finish COPY: \(LibPQ.errorMessage(conn))")
            } else if serverError == nil {
                serverError = LibPQ.error(from: result, conn: conn)
            }
            PQclear(result)
        }
        if let serverError { throw serverError }
        if let clientError {
            throw PostgresError(kind: LibPQ.isBad(conn) ? .connection : .copy, message: "COPY failed: \(clientError)")
        }
        return copied
    }

    private static func send(_ buffer: [UInt8], conn: OpaquePointer) -> Bool {
        buffer.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                PQputCopyData(conn, chars.baseAddress, Int32(chars.count)) == 1
            }
        }
    }

    /// One line of COPY text format: tab-separated, `\N` for NULL, newline-terminated.
    static func appendLine(_ row: [String?], to buffer: inout [UInt8]) {
        for (index, value) in row.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: "\t")) }
            guard let value else {
                buffer.append(UInt8(ascii: "\\"))
                buffer.append(UInt8(ascii: "N"))
                continue
            }
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\t"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "t"))
                case UInt8(ascii: "\n"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "r"))
                default: buffer.append(byte)
                }
            }
        }
        buffer.append(UInt8(ascii: "\n"))
    }
}
