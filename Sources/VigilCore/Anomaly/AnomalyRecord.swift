import Foundation

/// One anomaly as stored.
public struct AnomalyRecord: Sendable, Equatable {
    public var id: UUID
    public var detectorID: UUID
    public var bucket: Date
    public var detectedAt: Date
    public var finding: AnomalyFinding
    public var severity: AlertSeverity
    public var alertID: UUID?

    public init(id: UUID, detectorID: UUID, bucket: Date, detectedAt: Date, finding: AnomalyFinding, severity: AlertSeverity, alertID: UUID?) {
        self.id = id
        self.detectorID = detectorID
        self.bucket = bucket
        self.detectedAt = detectedAt
        self.finding = finding
        self.severity = severity
        self.alertID = alertID
    }
}

public struct AnomalyFilter: Sendable, Equatable {
    public var detectorID: UUID?
    public var minSeverity: AlertSeverity?
    public var since: Date?

    public init(detectorID: UUID? = nil, minSeverity: AlertSeverity? = nil, since: Date? = nil) {
        self.detectorID = detectorID
        self.minSeverity = minSeverity
        self.since = since
    }
}
