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
            let subject = body.subject.map {
                DataSubject(userID: $0.userId, email: $0.email, ip: $0.ip, custom: $0.custom?.additionalProperties ?? [:])
            }
            let record = try await services.compliance.request(kind: kind, format: format, subject: subject, in: caller.workspace.id,
                                                               actor: caller.actor, metadata: info.metadata)
            return .accepted(.init(body: .json(.init(ComplianceReportView(record: record, files: [])))))
        }
    }

    func listComplianceReports(_ input: Operations.ListComplianceReports.Input) async throws -> Operations.ListComplianceReports.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            let page = try await services.compliance.list(in: caller.workspace.id, limit: input.query.limit, cursor: input.query.cursor)
            return .ok(.init(body: .json(.init(items: page.items.map { .init(ComplianceReportView(record: $0, files: [])) }, nextCursor: page.nextCursor))))
        }
    }

    func getComplianceReport(_ input: Operations.GetComplianceReport.Input) async throws -> Operations.GetComplianceReport.Output {
        try await withCaller(input.path.workspace, role: .admin) { caller, _ in
            .ok(.init(body: .json(.init(try await services.compliance.get(try Self.uuid(input.path.id), in: caller.workspace.id)))))
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
            return try Self.respond(download, info: info)
        }
    }

    func downloadComplianceReportByLink(_ input: Operations.DownloadComplianceReportByLink.Input) async throws -> Operations.DownloadComplianceReportByLink.Output {
        let info = try request
        let download = try await services.compliance.download(token: input.path.token, file: input.query.file, rangeHeader: input.headers.range,
                                                              ifRange: input.headers.ifRange, metadata: info.metadata)
        switch try Self.respond(download, info: info) {
        case .ok(let ok):
            return .ok(.init(headers: .init(contentDisposition: ok.headers.contentDisposition, eTag: ok.headers.eTag, reprDigest: ok.headers.reprDigest,
                                            digest: ok.headers.digest, acceptRanges: ok.headers.acceptRanges), body: Self.linkBody(ok.body)))
        case .partialContent(let partial):
            let h = partial.headers
            return .partialContent(.init(headers: .init(contentDisposition: h.contentDisposition, eTag: h.eTag, reprDigest: h.reprDigest, digest: h.digest,
                                                        acceptRanges: h.acceptRanges, contentRange: h.contentRange), body: Self.linkPartialBody(partial.body)))
        case .rangeNotSatisfiable(let refused):
            return .rangeNotSatisfiable(.init(headers: .init(contentRange: refused.headers.contentRange), body: .json(try refused.body.json)))
        default:
            throw APIError(status: .internalServerError, code: "internal_error", message: "internal error")
        }
    }

    /// 200, 206 or 416 with the download headers. JSON files travel as `.csv` (the generator
    /// would re-encode an `application/json` body); `DownloadHeaders` restores their type.
    static func respond(_ d: ReportDownload, info: RequestInfo) throws -> Operations.DownloadComplianceReport.Output {
        let body = d.body.map { HTTPBody($0, length: .known(d.bodyLength), iterationBehavior: .single) } ?? HTTPBody()
        let isZip = d.file.contentType == "application/zip"
        switch d.range {
        case .full:
            return .ok(.init(headers: .init(contentDisposition: d.contentDisposition, eTag: d.etag, reprDigest: d.reprDigest, digest: d.legacyDigest,
                                            acceptRanges: "bytes"),
                             body: isZip ? .applicationZip(body) : .csv(body)))
        case .partial:
            return .partialContent(.init(headers: .init(contentDisposition: d.contentDisposition, eTag: d.etag, reprDigest: d.reprDigest,
                                                        digest: d.legacyDigest, acceptRanges: "bytes", contentRange: d.range.contentRange),
                                         body: isZip ? .applicationZip(body) : .csv(body)))
        case .unsatisfiable:
            let envelope = Components.Schemas._Error(error: .init(code: .invalidRequest, message: "the range starts past the end of the file (\(d.file.byteSize) bytes)",
                                                                   correlationId: info.correlationID))
            return .rangeNotSatisfiable(.init(headers: .init(contentRange: d.range.contentRange), body: .json(envelope)))
        }
    }

    static func linkBody(_ body: Operations.DownloadComplianceReport.Output.Ok.Body) -> Operations.DownloadComplianceReportByLink.Output.Ok.Body {
        switch body {
        case .json(let text): .json(text)
        case .csv(let bytes): .csv(bytes)
        case .applicationZip(let bytes): .applicationZip(bytes)
        }
    }

    static func linkPartialBody(_ body: Operations.DownloadComplianceReport.Output.PartialContent.Body)
        -> Operations.DownloadComplianceReportByLink.Output.PartialContent.Body {
        switch body {
        case .json(let text): .json(text)
        case .csv(let bytes): .csv(bytes)
        case .applicationZip(let bytes): .applicationZip(bytes)
        }
    }
}

extension Components.Schemas.ComplianceReport {
    init(_ v: ComplianceReportView) {
        let r = v.record
        let summary = (try? JSONDecoder().decode([String: String].self, from: Data(r.summaryJSON.utf8))) ?? [:]
        self.init(id: r.id.uuidString.lowercased(), kind: .init(rawValue: r.kind) ?? .retention, format: .init(rawValue: r.format) ?? .json,
                  state: .init(rawValue: r.state) ?? .failed, percent: r.percent, error: r.error, subjectFingerprint: r.subjectFingerprint,
                  requestedBy: r.requestedBy, scheduled: r.scheduled, createdAt: r.createdAt, startedAt: r.startedAt, completedAt: r.completedAt,
                  expiresAt: r.expiresAt,
                  files: v.files.map { .init(name: $0.name, contentType: $0.contentType, size: $0.byteSize, sha256: $0.sha256) },
                  summary: .init(additionalProperties: summary))
    }
}
