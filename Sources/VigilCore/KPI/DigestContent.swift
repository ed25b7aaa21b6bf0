import Foundation

/// Everything a digest shows, computed by the worker and rendered by `DigestRenderer`.
/// Plain values only: building it is the service's job, rendering it is pure.
public struct DigestContent: Sendable, Equatable {
    public var workspaceName: String
    public var period: DigestPeriod
    public var generatedAt: Date
    public var alerts: DigestAlertSummary
    /// Most frequent first (the renderer shows them in this order).
    public var noisyFingerprints: [DigestNoisyFingerprint]
    public var slos: [DigestSLORow]
    public var kpis: [DigestKPIRow]
    /// nil: the security summary is not available (shown as such, not as 0).
    public var securityEvents: Int?

    public init(workspaceName: String, period: DigestPeriod, generatedAt: Date, alerts: DigestAlertSummary,
                noisyFingerprints: [DigestNoisyFingerprint] = [], slos: [DigestSLORow] = [], kpis: [DigestKPIRow] = [],
                securityEvents: Int? = nil) {
        self.workspaceName = workspaceName
        self.period = period
        self.generatedAt = generatedAt
        self.alerts = alerts
        self.noisyFingerprints = noisyFingerprints
        self.slos = slos
        self.kpis = kpis
        self.securityEvents = securityEvents
    }
}

public struct DigestAlertSummary: Sendable, Equatable {
    /// Alerts triggered in the period.
    public var opened: Int
    /// Alerts resolved in the period.
    public var resolved: Int
    /// Alerts open at the end of the period.
    public var stillOpen: Int
    public var mttaSeconds: Double?
    public var mttrSeconds: Double?
    /// Alerts opened per local day (or hour) of the period, oldest first: the sparkline.
    public var openedSeries: [Double]

    public init(opened: Int, resolved: Int, stillOpen: Int, mttaSeconds: Double? = nil, mttrSeconds: Double? = nil,
                openedSeries: [Double] = []) {
        self.opened = opened
        self.resolved = resolved
        self.stillOpen = stillOpen
        self.mttaSeconds = mttaSeconds
        self.mttrSeconds = mttrSeconds
        self.openedSeries = openedSeries
    }
}

public struct DigestNoisyFingerprint: Sendable, Equatable {
    public var fingerprint: String
    public var title: String
    /// Occurrences in the period.
    public var count: Int

    public init(fingerprint: String, title: String, count: Int) {
        self.fingerprint = fingerprint
        self.title = title
        self.count = count
    }
}

public struct DigestSLORow: Sendable, Equatable {
    public var name: String
    public var objectivePercent: Double
    /// Fraction 0…1; nil without events.
    public var compliance: Double?
    /// Fraction of the error budget left (1 untouched, negative overspent).
    public var budgetRemaining: Double
    public var status: SLOStatus

    public init(name: String, objectivePercent: Double, compliance: Double?, budgetRemaining: Double, status: SLOStatus) {
        self.name = name
        self.objectivePercent = objectivePercent
        self.compliance = compliance
        self.budgetRemaining = budgetRemaining
        self.status = status
    }

    /// The row for an SLO's counts over its window.
    public static func make(name: String, objectivePercent: Double, counts: SLOCounts) -> DigestSLORow {
        DigestSLORow(name: name, objectivePercent: objectivePercent, compliance: SLOMath.compliance(counts),
                     budgetRemaining: SLOMath.budgetRemaining(counts, objectivePercent: objectivePercent),
                     status: SLOStatus.evaluate(counts, objectivePercent: objectivePercent))
    }
}

/// A KPI as the digest shows it. Values are display values (stored × `displayScale`).
public struct DigestKPIRow: Sendable, Equatable {
    public var name: String
    public var unit: String
    public var value: Double?
    public var target: Double?
    public var status: KPIStatus
    public var trend: Trend.Arrow?
    public var assessment: Trend.Assessment?
    public var percentChange: Double?
    /// Per-day values over the period (or a longer look-back), oldest first.
    public var sparkline: [Double]

    public init(name: String, unit: String, value: Double?, target: Double?, status: KPIStatus, trend: Trend.Arrow?,
                assessment: Trend.Assessment?, percentChange: Double?, sparkline: [Double]) {
        self.name = name
        self.unit = unit
        self.value = value
        self.target = target
        self.status = status
        self.trend = trend
        self.assessment = assessment
        self.percentChange = percentChange
        self.sparkline = sparkline
    }

    /// From an overview; `history` is the KPI's per-period values (missing ones are skipped
    /// in the sparkline).
    public static func make(overview: KPIOverview, displayScale: Double, history: [Double?]) -> DigestKPIRow {
        DigestKPIRow(name: overview.name, unit: overview.unit, value: overview.value.map { $0 * displayScale },
                     target: overview.target.map { $0 * displayScale }, status: overview.status, trend: overview.trend.arrow,
                     assessment: overview.assessment, percentChange: overview.trend.percentChange,
                     sparkline: history.compactMap { $0.map { $0 * displayScale } })
    }
}
