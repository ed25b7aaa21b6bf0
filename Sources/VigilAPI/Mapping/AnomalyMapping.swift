import Foundation
import VigilCore
import VigilServices

/// Anomaly detector bodies to core values, and detectors and anomalies to response bodies.
extension APIController {
    static func anomalyDetector(_ b: Components.Schemas.AnomalyDetectorInput) throws -> AnomalyDetectorDefinition {
        AnomalyDetectorDefinition(
            name: b.name, enabled: b.enabled ?? true, metric: b.metric, matchers: try matchers(b.matchers, field: "matchers"),
            statistic: AlertRuleStatistic(rawValue: b.statistic.rawValue) ?? .count,
            detectors: b.detectors?.compactMap { AnomalyDetectorKind(rawValue: $0.rawValue) } ?? AnomalyDetectorKind.allCases,
            sensitivity: b.sensitivity.flatMap { AnomalySensitivity(rawValue: $0.rawValue) } ?? .medium,
            baseline: b.baseline.flatMap { AnomalyBaselineKind(rawValue: $0.rawValue) } ?? .seasonal,
            alertSeverity: b.alertSeverity.map(AlertSeverity.init) ?? .high)
    }
}

extension Components.Schemas.AnomalyDetectorInput {
    init(_ d: AnomalyDetectorDefinition) {
        self.init(name: d.name, enabled: d.enabled, metric: d.metric, matchers: d.matchers.map(Components.Schemas.LabelMatcher.init),
                  statistic: .init(rawValue: d.statistic.rawValue)!, detectors: d.detectors.compactMap { .init(rawValue: $0.rawValue) },
                  sensitivity: .init(rawValue: d.sensitivity.rawValue), baseline: .init(rawValue: d.baseline.rawValue),
                  alertSeverity: .init(rawValue: d.alertSeverity.rawValue))
    }
}

extension Components.Schemas.AnomalyDetector {
    init(_ v: AnomalyDetectorView) {
        self.init(id: v.id.uuidString.lowercased(), definition: .init(v.definition), createdAt: v.createdAt, updatedAt: v.updatedAt,
                  lastScannedAt: v.lastScannedAt, lastError: v.lastError)
    }
}

extension Components.Schemas.Anomaly {
    init(_ a: AnomalyRecord) {
        self.init(id: a.id.uuidString.lowercased(), detectorId: a.detectorID.uuidString.lowercased(), bucket: a.bucket, detectedAt: a.detectedAt,
                  detector: .init(rawValue: a.finding.detector.rawValue)!, value: a.finding.value, expected: a.finding.expected,
                  direction: .init(rawValue: a.finding.direction.rawValue)!, score: a.finding.score,
                  severity: .init(rawValue: a.severity.rawValue) ?? .low, alertId: a.alertID?.uuidString.lowercased())
    }
}
