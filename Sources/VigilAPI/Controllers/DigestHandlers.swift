import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    func getDigestSchedule(_ input: Operations.GetDigestSchedule.Input) async throws -> Operations.GetDigestSchedule.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            guard let schedule = try await services.digests.schedule(in: caller.workspace) else {
                throw ServiceError.notFound("this workspace has no digest schedule")
            }
            return .ok(.init(body: .json(try Self.response(schedule, as: Components.Schemas.DigestSchedule.self))))
        }
    }

    func putDigestSchedule(_ input: Operations.PutDigestSchedule.Input) async throws -> Operations.PutDigestSchedule.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let schedule = try Self.convert(body, to: DigestSchedule.self, field: "schedule")
            let saved = try await services.digests.saveSchedule(schedule, in: caller.workspace)
            return .ok(.init(body: .json(try Self.response(saved, as: Components.Schemas.DigestSchedule.self))))
        }
    }

    func listDigests(_ input: Operations.ListDigests.Input) async throws -> Operations.ListDigests.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            .ok(.init(body: .json(.init(try await services.digests.sent(in: caller.workspace)))))
        }
    }

    func previewDigest(_ input: Operations.PreviewDigest.Input) async throws -> Operations.PreviewDigest.Output {
        try await withCaller(input.path.workspace, role: .viewer) { caller, _ in
            let content = try await services.digests.preview(in: caller.workspace, lastDay: try Self.day(input.query.period, field: "period"))
            return .ok(.init(body: try .init(content, format: input.query.format?.rawValue)))
        }
    }
}
