import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

/// SLOs, their evaluations and the performance and security summaries to response bodies.

extension Components.Schemas.Slo {
    /// The definition goes out as the free-form object it was given as.
    init(_ view: SLOView) throws {
        let definition = try JSONSerialization.jsonObject(with: JSONEncoder().encode(view.definition)) as? [String: Any] ?? [:]
        let container = try JSONDecoder().decode(OpenAPIObjectContainer.self, from: JSONSerialization.data(withJSONObject: definition))
        self.init(id: view.id.uuidString.lowercased(), definition: .init(additionalProperties: container), createdAt: view.createdAt,
                  latest: view.latest.map(Components.Schemas.SLOEvaluation.init))
    }
}

extension Components.Schemas.SLOEvaluation {
    init(_ e: SLOEvaluationRecord) {
        self.init(evaluatedAt: e.evaluatedAt, windowStart: e.windowStart, good: e.good, total: e.total, compliance: e.compliance,
                  budgetRemaining: e.budgetRemaining, burn1h: e.burn1h, burn6h: e.burn6h, decision: Components.Schemas.SLOEvaluation.DecisionPayload(rawValue: e.decision) ?? .none,
                  status: .init(rawValue: e.status) ?? .noData)
    }
}

extension Components.Schemas.SLOReport {
    init(_ view: SLOView, period: String, history: [SLOEvaluationRecord]) throws {
        self.init(slo: try .init(view), period: period, evaluations: history.map(Components.Schemas.SLOEvaluation.init))
    }
}

extension Components.Schemas.PerformanceSummary {
    init(slos: [SLOView], slowest: [(endpoint: String, count: Int, p95: Double?)]) throws {
        self.init(slos: try slos.map(Components.Schemas.Slo.init),
                  slowestEndpoints: slowest.map { .init(endpoint: $0.endpoint, count: $0.count, p95: $0.p95) })
    }
}

extension Components.Schemas.SecuritySummary {
    /// Counts over the last 24 hours (the window the service reads).
    init(_ s: (failed: Int, forbidden: Int, openCritical: Int), reported: (events: Int, blockedNow: Int, detections: Int)) {
        self.init(windowHours: 24, failedAuthentications: s.failed, forbidden: s.forbidden, openCriticalAlerts: s.openCritical,
                  securityEvents: reported.events, detections: reported.detections, blockedAddresses: reported.blockedNow)
    }
}
