import CLibPQ

/// libpq pipeline mode: several statements sent at once and answered at once, so a
/// transaction's fixed opening (BEGIN, role, workspace) and its first statement — and, for a
/// transaction of one statement, its COMMIT — cost one network round trip and one hop to the
/// connection's thread instead of one each.
///
/// Only the extended query protocol runs in a pipeline, so every statement is a single
/// statement (no `;`-separated lists). After a failing statement the server skips the rest up
/// to the sync point (PGRES_PIPELINE_ABORTED); an explicit transaction is then left aborted,
/// and the caller rolls it back as after any failed statement.
enum Pipeline {
    /// A statement of the pipeline failed; the ones after it were skipped.
    struct Failure: Error {
        /// The failing statement's position in the pipeline.
        let index: Int
        let error: Error
    }

    /// Sends `statements` in one pipeline and returns each one's rows; throws `Failure` for
    /// the first failing statement once every result up to the sync point has been read (so
    /// the connection stays usable for a ROLLBACK). Runs on the connection's thread.
    static func run(_ statements: [PostgresQuery], conn: OpaquePointer) throws -> [PostgresRows] {
        guard PQenterPipelineMode(conn) == 1 else { throw LibPQ.connectionError(conn, context: "could not enter pipeline mode") }
        for statement in statements {
            let sent = LibPQ.withCStringArray(statement.binds.map(\.text)) { values in
                let types = statement.binds.map { Oid($0.typeOID) }
                return types.withUnsafeBufferPointer { typesBuffer in
                    PQsendQueryParams(conn, statement.sql, Int32(statement.binds.count), typesBuffer.baseAddress, values, nil, nil, 0)
                }
            }
            // A send fails only when the connection is gone; nothing is left to read then.
            guard sent == 1 else { throw LibPQ.connectionError(conn, context: "could not send a pipelined statement") }
        }
        guard PQpipelineSync(conn) == 1 else { throw LibPQ.connectionError(conn, context: "could not sync the pipeline") }

        var rows: [PostgresRows] = []
        rows.reserveCapacity(statements.count)
        var firstFailure: Failure?
        for index in statements.indices {
            guard let result = PQgetResult(conn) else { throw LibPQ.connectionError(conn, context: "the pipeline ended early") }
            if PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
                PQclear(result)
                rows.append(PostgresRows(rows: [], affectedRows: 0))
            } else {
                do {
                    rows.append(try LibPQ.consume(result, conn: conn))
                } catch {
                    if firstFailure == nil { firstFailure = Failure(index: index, error: error) }
                    rows.append(PostgresRows(rows: [], affectedRows: 0))
                }
            }
            // Each statement's results end with a NULL before the next statement's begin.
            while let extra = PQgetResult(conn) { PQclear(extra) }
        }
        guard let sync = PQgetResult(conn) else { throw LibPQ.connectionError(conn, context: "the pipeline lost its sync point") }
        let synced = PQresultStatus(sync) == PGRES_PIPELINE_SYNC
        PQclear(sync)
        guard synced, PQexitPipelineMode(conn) == 1 else {
            throw PostgresError(kind: .connection, message: "the pipeline did not end at its sync point: \(LibPQ.errorMessage(conn))")
        }
        if let firstFailure { throw firstFailure }
        return rows
    }
}
