import Foundation
import VigilCore
import VigilRepositories

/// A report as the API shows it.
public struct ComplianceReportView: Sendable {
    public var record: ComplianceReportRecord
    public var files: [ComplianceReportFile]

    public init(record: ComplianceReportRecord, files: [ComplianceReportFile]) {
        self.record = record
        self.files = files
    }
}

/// A download ready to stream: status (200, 206 or 416), headers and the body.
public struct ReportDownload: Sendable {
    public var file: ComplianceReportFile
    public var range: ByteRange
    public var contentDisposition: String
    public var etag: String
    public var reprDigest: String
    public var legacyDigest: String
    public var bodyLength: Int64
    public var body: ReportByteStream?
}

/// Compliance reports for the API: request (admin), list, show, download (ranges, digests,
/// audited) and short-lived signed links.
public struct ComplianceService: Sendable {
    let database: Database
    let clock: WallClock
    let configuration: ComplianceConfiguration
    let storage: any ReportStorage
    let reports = ComplianceReportRepository()
    let queue = JobQueue()
    let audit: AuditTrail
    /// Caps the reports a workspace may have queued or running at once (`WorkspaceLimits`).
    let limits: WorkspaceLimitPolicy
    let limitCounts = WorkspaceLimitRepository()

    public init(database: Database, clock: WallClock, configuration: ComplianceConfiguration, limits: WorkspaceLimitPolicy) {
        self.database = database
        self.clock = clock
        self.configuration = configuration
        self.storage = Self.storage(configuration, database: database)
        self.audit = AuditTrail(clock: clock)
        self.limits = limits
    }

    public static func storage(_ configuration: ComplianceConfiguration, database: Database) -> any ReportStorage {
        configuration.reportsDirectory.map { DirectoryReportStorage(directory: $0) as any ReportStorage }
            ?? DatabaseReportStorage(database: database)
    }

    public func request(kind: ReportKind, format: ReportFormat, subject: DataSubject?, in workspaceID: UUID, actor: Actor,
                        metadata: RequestMetadata, scheduled: Bool = false,
                        idempotency: IdempotencyHook<ComplianceReportRecord>? = nil) async throws -> ComplianceReportRecord {
        var subjectJSON: String?
        if kind.requiresSubject {
            guard let subject = subject?.trimmed else {
                throw ServiceError.invalid(field: "subject", message: "\(kind.rawValue) needs a subject (user_id, email, ip or custom)")
            }
            if let problem = subject.validate() { throw ServiceError(problem) }
            subjectJSON = String(decoding: try JSONEncoder.sortedKeys.encode(subject), as: UTF8.self)
        } else if subject != nil {
            throw ServiceError.invalid(field: "subject", message: "\(kind.rawValue) reports take no subject")
        }
        let now = clock.now()
        let record = ComplianceReportRecord(id: UUID(), kind: kind.rawValue, format: format.rawValue, subjectJSON: subjectJSON,
                                            requestedBy: "\(actor.type):\(actor.id)", scheduled: scheduled, storage: storage.kind,
                                            createdAt: now, expiresAt: now.addingTimeInterval(configuration.reportTTL))
        try await database.inWorkspace(workspaceID) { connection in
            // Requests are capped (429, retry later); the worker's own scheduled reports are not,
            // so a busy workspace never loses its periodic report.
            if !scheduled {
                let inFlight = try await limitCounts.lockAndCountReportsInFlight(workspaceID: workspaceID, on: connection)
                let limits = try await limits.limits(for: workspaceID, on: connection)
                if case .refused(let message) = limits.admitsReport(inFlight: inFlight) {
                    throw ServiceError.rateLimited(message, retryAfterSeconds: limits.reportRetryAfterSeconds)
                }
            }
            try await reports.insert(record, workspaceID: workspaceID, on: connection)
            try await queue.enqueue(ComplianceJobs.GenerateArgs(reportID: record.id), in: workspaceID, on: connection,
                                    uniqueKey: "compliance:\(record.id.uuidString.lowercased())")
            // The subject's identifiers stay out of the audit log (an erasure would have to redact them).
            try await audit.record(workspaceID: workspaceID, actor: actor, action: "compliance_report.requested", resourceType: "compliance_report",
                                   resourceID: record.id.uuidString.lowercased(), details: ["kind": kind.rawValue, "format": format.rawValue],
                                   request: metadata, on: connection)
            try await idempotency?.record(record, on: connection)  // the answer commits with the request
        }
        return record
    }

    public func list(in workspaceID: UUID, limit: Int?, cursor: String?) async throws -> Page<ComplianceReportRecord> {
        try await paged(limit: limit, cursor: cursor, position: { TimeCursor(createdAt: $0.createdAt, id: $0.id) }) { page in
            try await database.inWorkspace(workspaceID) { try await reports.list(after: page.cursor, limit: page.limit, on: $0) }
        }
    }

    public func get(_ id: UUID, in workspaceID: UUID) async throws -> ComplianceReportView {
        try await database.inWorkspace(workspaceID) { connection in
            guard let record = try await reports.find(id: id, on: connection) else { throw Self.notFound(id) }
            return ComplianceReportView(record: record, files: try await reports.files(reportID: id, on: connection))
        }
    }

    /// Prepares a download of one of the report's files (the first by default) and audits it.
    public func download(_ id: UUID, file name: String?, in workspaceID: UUID, rangeHeader: String?, ifRange: String?,
                         actor: Actor, metadata: RequestMetadata) async throws -> ReportDownload {
        let (record, file) = try await database.inWorkspace(workspaceID) { connection -> (ComplianceReportRecord, ComplianceReportFile) in
            guard let record = try await reports.find(id: id, on: connection) else { throw Self.notFound(id) }
            guard record.state == "completed" else { throw ServiceError.conflict("report \(id.uuidString.lowercased()) is \(record.state), not completed") }
            guard record.expiresAt > clock.now() else { throw Self.notFound(id) }
            let files = try await reports.files(reportID: id, on: connection)
            guard let file = name.map({ wanted in files.first { $0.name == wanted } }) ?? files.first else {
                throw ServiceError.notFound("report \(id.uuidString.lowercased()) has no file '\(name?.prefix(100) ?? "")'")
            }
            try await audit.record(workspaceID: workspaceID, actor: actor, action: "compliance_report.downloaded", resourceType: "compliance_report",
                                   resourceID: id.uuidString.lowercased(), details: ["file": file.name, "range": rangeHeader ?? ""],
                                   request: metadata, on: connection)
            return (record, file)
        }
        let etag = EntityTag.strong(sha256Hex: file.sha256) ?? "\"\(file.sha256)\""
        let range = ByteRange.parse(header: rangeHeader, length: file.byteSize, ifRange: ifRange, currentETag: etag)
        let bodyRange: ClosedRange<Int64>? = switch range {
            case .full: file.byteSize > 0 ? 0...(file.byteSize - 1) : nil
            case .partial(let first, let last, _): first...last
            case .unsatisfiable: nil
        }
        return ReportDownload(
            file: file, range: range, contentDisposition: ContentDisposition.attachment(filename: file.name), etag: etag,
            reprDigest: ReprDigest.sha256(hex: file.sha256) ?? "", legacyDigest: ReprDigest.legacyDigest(hex: file.sha256) ?? "",
            bodyLength: range.bodyLength(fullLength: file.byteSize),
            body: bodyRange.map { ReportByteStream(storage: storage, name: file.name, reportID: record.id, workspaceID: workspaceID, range: $0) })
    }

    /// A token for `GET /v1/report-downloads/{token}`, valid until the returned time.
    public func downloadLink(_ id: UUID, in workspaceID: UUID, expiresIn: TimeInterval?, actor: Actor,
                             metadata: RequestMetadata) async throws -> (token: String, expiresAt: Date) {
        if let expiresIn, !(1...SignedDownloadLink.maxLifetime).contains(expiresIn) {
            throw ServiceError.invalid(field: "expires_in_seconds", message: "expires_in_seconds must be 1 to \(Int(SignedDownloadLink.maxLifetime))")
        }
        let view = try await get(id, in: workspaceID)
        guard view.record.state == "completed" else { throw ServiceError.conflict("report \(id.uuidString.lowercased()) is \(view.record.state), not completed") }
        let expiresAt = min(SignedDownloadLink.expiry(now: clock.now(), requested: expiresIn), view.record.expiresAt)
        let token: String
        do { token = try SignedDownloadLink.make(workspaceID: workspaceID, reportID: id, expiresAt: expiresAt, key: configuration.linkKey) } catch {
            throw ServiceError.unavailable("report links are not configured (VIGIL_REPORT_LINK_KEY must be at least 16 bytes)")
        }
        try await database.inWorkspace(workspaceID) { connection in
            try await audit.record(workspaceID: workspaceID, actor: actor, action: "compliance_report.link_created", resourceType: "compliance_report",
                                   resourceID: id.uuidString.lowercased(), details: ["expires_at": ReportSections.time(expiresAt)],
                                   request: metadata, on: connection)
        }
        return (token, expiresAt)
    }

    /// A download through a signed link: no key, the token names the workspace and report.
    public func download(token: String, file name: String?, rangeHeader: String?, ifRange: String?, metadata: RequestMetadata) async throws -> ReportDownload {
        guard let claims = SignedDownloadLink.verify(token: token, key: configuration.linkKey, now: clock.now()) else {
            throw ServiceError.notFound("this download link is invalid or has expired")
        }
        return try await download(claims.reportID, file: name, in: claims.workspaceID, rangeHeader: rangeHeader, ifRange: ifRange,
                                  actor: .system("signed_link"), metadata: metadata)
    }

    static func notFound(_ id: UUID) -> ServiceError { .notFound("no compliance report \(id.uuidString.lowercased())") }
}
