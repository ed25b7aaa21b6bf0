import Foundation
import VigilCore
import VigilServices

/// Performance insights to response bodies.
extension Components.Schemas.PerformanceInsights {
    init(_ i: PerformanceInsights) {
        func comparisons(_ verdict: PerformanceVerdict) -> [Components.Schemas.PerformanceComparison] {
            i.comparisons.filter { $0.verdict == verdict }.map(Components.Schemas.PerformanceComparison.init)
        }
        self.init(generatedAt: i.generatedAt, baselineComputedAt: i.baselineComputedAt, thresholdPercent: i.thresholdPercent,
                  regressions: comparisons(.regression), improvements: comparisons(.improvement),
                  stable: i.comparisons.filter { $0.verdict == .stable }.count,
                  trends: i.trends.map {
                      .init(metric: $0.metric, group: $0.group, dailyP95: $0.dailyP95, slopePerDay: $0.slopePerDay, percentPerDay: $0.percentPerDay)
                  },
                  recommendations: i.recommendations.map { .init(level: .init(rawValue: $0.level.rawValue)!, message: $0.message, action: $0.action) })
    }
}

extension Components.Schemas.PerformanceComparison {
    init(_ c: PerformanceComparison) {
        self.init(metric: c.metric, group: c.group, verdict: .init(rawValue: c.verdict.rawValue)!, changePercent: c.changePercent,
                  baseline: .init(c.baseline), current: .init(c.current))
    }
}

extension Components.Schemas.LatencyProfile {
    init(_ p: LatencyProfile) {
        self.init(samples: p.samples, p50: p.p50, p95: p.p95, p99: p.p99)
    }
}
