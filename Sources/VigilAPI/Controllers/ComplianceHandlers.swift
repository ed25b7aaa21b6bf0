import Foundation
import OpenAPIRuntime
import VigilCore
import VigilServices

extension APIController {
    func createComplianceReport(_ input: Operations.CreateComplianceReport.Input) async throws -> Operations.CreateComplianceReport.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, info in
            guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
            let kind = ReportKind(rawValue: body.kind.rawValue) ?? .retention
            let format = body.format.flatMap { ReportFormat(rawValue: $0.rawValue) } ?? .json
            let answer = try await IdempotencySupport.perform(
                .createComplianceReport, rawKey: input.headers.idempotencyKey, workspaceID: caller.workspace.id, services: services,
                fingerprint: { try RequestFingerprint.of(.createComplianceReport, value: body) },
                respond: { record in
                    try IdempotencySupport.answer(try Components.Schemas.ComplianceReport(ComplianceReportView(record: record, files: [])), status: 202)
                }
            ) { hook in
                try await services.compliance.request(kind: kind, format: format, subject: body.subject.map(DataSubject.init),
                                                      in: caller.workspace.id, actor: caller.actor, metadata: info.metadata, idempotency: hook)
            }
            return .accepted(.init(body: .json(try IdempotencySupport.body(Components.Schemas.ComplianceReport.self, of: answer))))
        }
    }

    func listComplianceReports(_ input: Operations.ListComplianceReports.Input) async throws -> Operations.ListComplianceReports.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            let page = try await services.compliance.list(in: caller.workspace.id, limit: input.query.limit, cursor: input.query.cursor)
            let items = try page.items.map { try Components.Schemas.ComplianceReport(ComplianceReportView(record: $0, files: [])) }
            return .ok(.init(body: .json(.init(items: items, nextCursor: page.nextCursor))))
        }
    }

    func getComplianceReport(_ input: Operations.GetComplianceReport.Input) async throws -> Operations.GetComplianceReport.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            .ok(.init(body: .json(try .init(try await services.compliance.get(try Self.uuid(input.path.id), in: caller.workspace.id)))))
        }
    }

    func createComplianceDownloadLink(_ input: Operations.CreateComplianceDownloadLink.Input) async throws -> Operations.CreateComplianceDownloadLink.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, info in
            let seconds = input.body.flatMap { switch $0 { case .json(let body): body.expiresInSeconds } }
            let link = try await services.compliance.downloadLink(try Self.uuid(input.path.id), in: caller.workspace.id,
                                                                  expiresIn: seconds.map(TimeInterval.init), actor: caller.actor, metadata: info.metadata)
            return .created(.init(body: .json(.init(url: "/v1/report-downloads/\(link.token)", expiresAt: link.expiresAt))))
        }
    }

    func downloadComplianceReport(_ input: Operations.DownloadComplianceReport.Input) async throws -> Operations.DownloadComplianceReport.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, info in
            let download = try await services.compliance.download(try Self.uuid(input.path.id), file: input.query.file, in: caller.workspace.id,
                                                                  rangeHeader: input.headers.range, ifRange: input.headers.ifRange,
                                                                  actor: caller.actor, metadata: info.metadata)
            return .init(download, correlationID: info.correlationID)
        }
    }

    func downloadComplianceReportByLink(_ input: Operations.DownloadComplianceReportByLink.Input) async throws -> Operations.DownloadComplianceReportByLink.Output {
        let info = try request
        let download = try await services.compliance.download(token: input.path.token, file: input.query.file, rangeHeader: input.headers.range,
                                                              ifRange: input.headers.ifRange, metadata: info.metadata)
        return try .init(Operations.DownloadComplianceReport.Output(download, correlationID: info.correlationID))
    }
}
