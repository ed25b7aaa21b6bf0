import Foundation
import PostgresClient
import VigilCore

/// Report rows, their files, and file bytes kept in PostgreSQL as fixed-size chunks.
public struct ComplianceReportRepository: Sendable {
    public init() {}

    static let columns = """
        id, kind, format, state, percent, error, subject, subject_fingerprint, requested_by, scheduled, storage, summary,
        created_at, started_at, completed_at, expires_at
        """

    public func insert(_ r: ComplianceReportRecord, workspaceID: UUID, on connection: Transaction) async throws {
        try await connection.execute("""
            INSERT INTO compliance_reports (workspace_id, id, kind, format, state, subject, requested_by, scheduled, storage, created_at, expires_at)
            VALUES (\(workspaceID), \(r.id), \(r.kind), \(r.format), \(r.state), \(r.subjectJSON)::jsonb, \(r.requestedBy), \(r.scheduled),
                    \(r.storage), \(r.createdAt), \(r.expiresAt))
            """)
    }

    public func find(id: UUID, forUpdate: Bool = false, on connection: Transaction) async throws -> ComplianceReportRecord? {
        try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM compliance_reports WHERE id = \(id) \(unescaped: forUpdate ? "FOR UPDATE" : "")
            """).first.map(Self.record)
    }

    public func list(after cursor: TimeCursor?, limit: Int, on connection: Transaction) async throws -> [ComplianceReportRecord] {
        let after = cursor.map { Date(microsecondsSince1970: $0.createdAtMicros) }
        return try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM compliance_reports
             WHERE (\(after)::timestamptz IS NULL OR (created_at, id) < (\(after), \(cursor?.id)))
             ORDER BY created_at DESC, id DESC LIMIT \(limit)
            """).map(Self.record)
    }

    /// queued → running; false if the report is not queued (another attempt took it, or it finished).
    public func start(id: UUID, at now: Date, on connection: Transaction) async throws -> Bool {
        try await connection.execute("""
            UPDATE compliance_reports SET state = 'running', started_at = \(now), percent = 0, error = NULL
             WHERE id = \(id) AND state IN ('queued', 'running')
            """) > 0
    }

    public func progress(id: UUID, percent: Int, on connection: Transaction) async throws {
        try await connection.execute("UPDATE compliance_reports SET percent = \(min(99, max(0, percent))) WHERE id = \(id) AND state = 'running'")
    }

    /// Completes the report and forgets the raw subject (only its fingerprint stays).
    public func complete(id: UUID, at now: Date, subjectFingerprint: String?, summaryJSON: String, on connection: Transaction) async throws {
        try await connection.execute("""
            UPDATE compliance_reports SET state = 'completed', percent = 100, completed_at = \(now), subject = NULL,
                   subject_fingerprint = \(subjectFingerprint), summary = \(summaryJSON)::jsonb
             WHERE id = \(id)
            """)
    }

    public func fail(id: UUID, error: String, at now: Date, on connection: Transaction) async throws {
        try await connection.execute("""
            UPDATE compliance_reports SET state = 'failed', error = \(error), completed_at = \(now), subject = NULL WHERE id = \(id)
            """)
    }

    /// Remembers an erasure's outcome with the erasure itself (same transaction), so a retried
    /// job issues the certificate of what was done instead of erasing again and finding nothing.
    public func saveErasureOutcome(id: UUID, json: String, on connection: Transaction) async throws {
        try await connection.execute("UPDATE compliance_reports SET summary = jsonb_build_object('erasure_outcome', \(json)::jsonb) WHERE id = \(id)")
    }

    public func erasureOutcome(id: UUID, on connection: Transaction) async throws -> String? {
        try await connection.query("SELECT (summary -> 'erasure_outcome')::text AS o FROM compliance_reports WHERE id = \(id)").first?
            .decode("o", as: String?.self)
    }

    public func files(reportID: UUID, on connection: Transaction) async throws -> [ComplianceReportFile] {
        try await connection.query("""
            SELECT name, position, content_type, byte_size, sha256 FROM compliance_report_files WHERE report_id = \(reportID) ORDER BY position
            """).map { row in
            ComplianceReportFile(name: try row.decode("name", as: String.self), position: try row.decode("position", as: Int.self),
                                 contentType: try row.decode("content_type", as: String.self), byteSize: try row.decode("byte_size", as: Int64.self),
                                 sha256: try row.decode("sha256", as: String.self))
        }
    }

    public func insertFile(_ file: ComplianceReportFile, reportID: UUID, workspaceID: UUID, on connection: Transaction) async throws {
        try await connection.execute("""
            INSERT INTO compliance_report_files (workspace_id, report_id, name, position, content_type, byte_size, sha256)
            VALUES (\(workspaceID), \(reportID), \(file.name), \(file.position), \(file.contentType), \(file.byteSize), \(file.sha256))
            """)
    }

    /// Drops any files of a report (a retried generation starts clean).
    public func deleteFiles(reportID: UUID, on connection: Transaction) async throws {
        try await connection.execute("DELETE FROM compliance_report_files WHERE report_id = \(reportID)")
    }

    public func insertChunk(_ bytes: [UInt8], seq: Int, name: String, reportID: UUID, workspaceID: UUID, on connection: Transaction) async throws {
        try await connection.execute("""
            INSERT INTO compliance_report_chunks (workspace_id, report_id, name, seq, data)
            VALUES (\(workspaceID), \(reportID), \(name), \(seq), \(Data(bytes)))
            """)
    }

    /// Chunks `first...last` of a file, in order.
    public func chunks(reportID: UUID, name: String, first: Int, last: Int, on connection: Transaction) async throws -> [[UInt8]] {
        try await connection.query("""
            SELECT data FROM compliance_report_chunks
             WHERE report_id = \(reportID) AND name = \(name) AND seq BETWEEN \(first) AND \(last) ORDER BY seq
            """).map { [UInt8](try $0.decode("data", as: Data.self)) }
    }

    /// Expired reports of the current workspace (the files go with them).
    public func deleteExpired(before now: Date, on connection: Transaction) async throws -> [UUID] {
        try await connection.query("DELETE FROM compliance_reports WHERE expires_at < \(now) RETURNING id").map { try $0.decode("id", as: UUID.self) }
    }

    static func record(_ row: PostgresRow) throws -> ComplianceReportRecord {
        ComplianceReportRecord(
            id: try row.decode("id", as: UUID.self), kind: try row.decode("kind", as: String.self), format: try row.decode("format", as: String.self),
            state: try row.decode("state", as: String.self), percent: try row.decode("percent", as: Int.self),
            error: try row.decode("error", as: String?.self), subjectJSON: try row.decode("subject", as: PostgresJSON?.self)?.raw,
            subjectFingerprint: try row.decode("subject_fingerprint", as: String?.self), requestedBy: try row.decode("requested_by", as: String.self),
            scheduled: try row.decode("scheduled", as: Bool.self), storage: try row.decode("storage", as: String.self),
            summaryJSON: try row.decode("summary", as: PostgresJSON.self).raw, createdAt: try row.decode("created_at", as: Date.self),
            startedAt: try row.decode("started_at", as: Date?.self), completedAt: try row.decode("completed_at", as: Date?.self),
            expiresAt: try row.decode("expires_at", as: Date.self))
    }
}
