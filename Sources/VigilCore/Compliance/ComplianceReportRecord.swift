import Foundation

/// A compliance report's row.
public struct ComplianceReportRecord: Sendable, Equatable {
    public var id: UUID
    public var kind: String
    public var format: String
    public var state: String
    public var percent: Int
    public var error: String?
    public var subjectJSON: String?
    public var subjectFingerprint: String?
    public var requestedBy: String
    public var scheduled: Bool
    public var storage: String
    public var summaryJSON: String
    public var createdAt: Date
    public var startedAt: Date?
    public var completedAt: Date?
    public var expiresAt: Date

    public init(id: UUID, kind: String, format: String, state: String = "queued", percent: Int = 0, error: String? = nil,
                subjectJSON: String?, subjectFingerprint: String? = nil, requestedBy: String, scheduled: Bool = false,
                storage: String = "database", summaryJSON: String = "{}", createdAt: Date, startedAt: Date? = nil,
                completedAt: Date? = nil, expiresAt: Date) {
        self.id = id; self.kind = kind; self.format = format; self.state = state; self.percent = percent; self.error = error
        self.subjectJSON = subjectJSON; self.subjectFingerprint = subjectFingerprint; self.requestedBy = requestedBy
        self.scheduled = scheduled; self.storage = storage; self.summaryJSON = summaryJSON; self.createdAt = createdAt
        self.startedAt = startedAt; self.completedAt = completedAt; self.expiresAt = expiresAt
    }
}

/// One stored file of a report.
public struct ComplianceReportFile: Sendable, Equatable {
    public var name: String
    public var position: Int
    public var contentType: String
    public var byteSize: Int64
    public var sha256: String

    public init(name: String, position: Int, contentType: String, byteSize: Int64, sha256: String) {
        self.name = name; self.position = position; self.contentType = contentType; self.byteSize = byteSize; self.sha256 = sha256
    }
}
