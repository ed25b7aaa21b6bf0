import Foundation
import VigilCore
import VigilServices

/// Readiness and health reports to response bodies.

extension Components.Schemas.HealthStatus {
    init(_ status: HealthStatus) {
        switch status {
        case .healthy: self = .healthy
        case .degraded: self = .degraded
        case .unhealthy: self = .unhealthy
        }
    }
}

extension Components.Schemas.Readiness {
    init(_ readiness: VigilServices.Readiness) {
        self.init(status: readiness.ready ? .ready : .notReady, checks: .init(additionalProperties: readiness.checks))
    }
}

extension Components.Schemas.HealthReport {
    init(_ report: VigilServices.HealthReport, version: String) {
        self.init(status: .init(report.status), version: version,
                  components: .init(additionalProperties: report.components.mapValues {
                      Components.Schemas.HealthComponent(status: .init($0.status), latencyMs: $0.latencyMs, detail: $0.detail)
                  }))
    }
}
