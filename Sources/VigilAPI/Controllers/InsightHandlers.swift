import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    func getPerformanceInsights(_ input: Operations.GetPerformanceInsights.Input) async throws -> Operations.GetPerformanceInsights.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let threshold = input.query.thresholdPercent
            if let threshold, !PerformanceSettings.thresholdRange.contains(threshold) {
                throw ServiceError.invalid(field: "threshold_percent", message: "threshold_percent must be between 1 and 500")
            }
            let insights = try await services.performanceInsights.insights(in: caller.workspace, thresholdPercent: threshold)
            return .ok(.init(body: .json(.init(insights))))
        }
    }
}
