import Foundation
import HTTPTypes
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    func getOpenAPIDocument(_ input: Operations.GetOpenAPIDocument.Input) async throws -> Operations.GetOpenAPIDocument.Output {
        guard let bytes = OpenAPIDocument.bytes else {
            throw APIError(status: .internalServerError, code: "internal_error", message: "the specification is not installed with this binary")
        }
        return .ok(.init(body: .textYaml(HTTPBody(bytes))))
    }

    func getLiveness(_ input: Operations.GetLiveness.Input) async throws -> Operations.GetLiveness.Output {
        .ok(.init(body: .json(.init(status: .ok))))
    }

    func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output {
        let readiness = await services.health.readiness()
        let body = Components.Schemas.Readiness(readiness)
        return readiness.ready ? .ok(.init(body: .json(body))) : .serviceUnavailable(.init(body: .json(body)))
    }

    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        let report = await services.health.report()
        let body = Components.Schemas.HealthReport(report, version: APIApplication.version)
        return report.status == .unhealthy ? .serviceUnavailable(.init(body: .json(body))) : .ok(.init(body: .json(body)))
    }

    func getMetrics(_ input: Operations.GetMetrics.Input) async throws -> Operations.GetMetrics.Output {
        metrics.recordPool(services.health.poolUsage)
        if let age = await services.health.workerHeartbeatAge() { metrics.recordHeartbeatAge(age) }
        var text = metrics.exposition()
        if let routing = services.health.readRouting { text = routing.appended(to: text) }  // DATABASE_READ_URL set
        return .ok(.init(body: .plainText(HTTPBody(ProcessSampler.appended(to: text)))))
    }
}
