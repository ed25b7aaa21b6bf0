import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    func createAnomalyDetector(_ input: Operations.CreateAnomalyDetector.Input) async throws -> Operations.CreateAnomalyDetector.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            return .created(.init(body: .json(.init(try await services.anomalies.create(try Self.anomalyDetector(body), in: caller.workspace)))))
        }
    }

    func listAnomalyDetectors(_ input: Operations.ListAnomalyDetectors.Input) async throws -> Operations.ListAnomalyDetectors.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let page = try await services.anomalies.list(in: caller.workspace, limit: input.query.limit, cursor: input.query.cursor)
            return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.AnomalyDetector.init), nextCursor: page.nextCursor))))
        }
    }

    func getAnomalyDetector(_ input: Operations.GetAnomalyDetector.Input) async throws -> Operations.GetAnomalyDetector.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            .ok(.init(body: .json(.init(try await services.anomalies.get(try Self.uuid(input.path.id), in: caller.workspace)))))
        }
    }

    func updateAnomalyDetector(_ input: Operations.UpdateAnomalyDetector.Input) async throws -> Operations.UpdateAnomalyDetector.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let updated = try await services.anomalies.update(try Self.uuid(input.path.id), to: try Self.anomalyDetector(body), in: caller.workspace)
            return .ok(.init(body: .json(.init(updated))))
        }
    }

    func deleteAnomalyDetector(_ input: Operations.DeleteAnomalyDetector.Input) async throws -> Operations.DeleteAnomalyDetector.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            try await services.anomalies.delete(try Self.uuid(input.path.id), in: caller.workspace)
            return .noContent(.init())
        }
    }

    func listAnomalies(_ input: Operations.ListAnomalies.Input) async throws -> Operations.ListAnomalies.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let filter = AnomalyFilter(detectorID: try input.query.detectorId.map { try Self.uuid($0, field: "detector_id") }, minSeverity: input.query.minSeverity.map(AlertSeverity.init),
                                       since: input.query.since)
            let page = try await services.anomalies.anomalies(in: caller.workspace, filter: filter, limit: input.query.limit, cursor: input.query.cursor)
            return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.Anomaly.init), nextCursor: page.nextCursor))))
        }
    }

    func getAnomaly(_ input: Operations.GetAnomaly.Input) async throws -> Operations.GetAnomaly.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            .ok(.init(body: .json(.init(try await services.anomalies.anomaly(try Self.uuid(input.path.id), in: caller.workspace)))))
        }
    }
}
