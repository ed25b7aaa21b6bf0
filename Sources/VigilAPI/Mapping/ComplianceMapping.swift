import Foundation
import HTTPTypes
import OpenAPIRuntime
import VigilCore
import VigilServices

/// Compliance request bodies to core values; reports and downloads to responses.

extension DataSubject {
    init(_ s: Components.Schemas.DataSubject) {
        self.init(userID: s.userId, email: s.email, ip: s.ip, custom: s.custom?.additionalProperties ?? [:])
    }
}

extension Components.Schemas.ComplianceReport {
    /// Throws when the stored summary does not decode (a corrupt row), rather than showing none.
    init(_ v: ComplianceReportView) throws {
        let r = v.record
        let summary = try StoredJSON.decode([String: String].self, r.summaryJSON, row: "compliance_reports \(r.id.uuidString.lowercased()) summary")
        self.init(id: r.id.uuidString.lowercased(), kind: .init(rawValue: r.kind) ?? .retention, format: .init(rawValue: r.format) ?? .json,
                  state: .init(rawValue: r.state) ?? .failed, percent: r.percent, error: r.error, subjectFingerprint: r.subjectFingerprint,
                  requestedBy: r.requestedBy, scheduled: r.scheduled, createdAt: r.createdAt, startedAt: r.startedAt, completedAt: r.completedAt,
                  expiresAt: r.expiresAt,
                  files: v.files.map { .init(name: $0.name, contentType: $0.contentType, size: $0.byteSize, sha256: $0.sha256) },
                  summary: .init(additionalProperties: summary))
    }
}

extension Operations.DownloadComplianceReport.Output {
    /// 200, 206 or 416 with the download headers. Every file travels as
    /// `application/octet-stream` (one media type, so generated clients read bytes whatever the
    /// file); the report's files list and `Content-Disposition` say what it is.
    init(_ d: ReportDownload, correlationID: String) {
        let body = d.body.map { HTTPBody($0, length: .known(d.bodyLength), iterationBehavior: .single) } ?? HTTPBody()
        switch d.range {
        case .full:
            self = .ok(.init(headers: .init(contentDisposition: d.contentDisposition, eTag: d.etag, reprDigest: d.reprDigest, digest: d.legacyDigest,
                                            acceptRanges: "bytes"),
                             body: .binary(body)))
        case .partial:
            self = .partialContent(.init(headers: .init(contentDisposition: d.contentDisposition, eTag: d.etag, reprDigest: d.reprDigest,
                                                        digest: d.legacyDigest, acceptRanges: "bytes", contentRange: d.range.contentRange),
                                         body: .binary(body)))
        case .unsatisfiable:
            let envelope = Components.Schemas._Error(error: .init(code: "invalid_request", message: "the range starts past the end of the file (\(d.file.byteSize) bytes)",
                                                                   correlationId: correlationID))
            self = .rangeNotSatisfiable(.init(headers: .init(contentRange: d.range.contentRange), body: .json(envelope)))
        }
    }
}

extension Operations.DownloadComplianceReportByLink.Output {
    /// The same download answered on the link route, whose generated types are distinct.
    init(_ output: Operations.DownloadComplianceReport.Output) throws {
        switch output {
        case .ok(let ok):
            self = .ok(.init(headers: .init(contentDisposition: ok.headers.contentDisposition, eTag: ok.headers.eTag, reprDigest: ok.headers.reprDigest,
                                            digest: ok.headers.digest, acceptRanges: ok.headers.acceptRanges), body: .init(ok.body)))
        case .partialContent(let partial):
            let h = partial.headers
            self = .partialContent(.init(headers: .init(contentDisposition: h.contentDisposition, eTag: h.eTag, reprDigest: h.reprDigest, digest: h.digest,
                                                        acceptRanges: h.acceptRanges, contentRange: h.contentRange), body: .init(partial.body)))
        case .rangeNotSatisfiable(let refused):
            self = .rangeNotSatisfiable(.init(headers: .init(contentRange: refused.headers.contentRange), body: .json(try refused.body.json)))
        default:
            throw APIError(status: .internalServerError, code: "internal_error", message: "internal error")
        }
    }
}

extension Operations.DownloadComplianceReportByLink.Output.Ok.Body {
    init(_ body: Operations.DownloadComplianceReport.Output.Ok.Body) {
        switch body {
        case .binary(let bytes): self = .binary(bytes)
        }
    }
}

extension Operations.DownloadComplianceReportByLink.Output.PartialContent.Body {
    init(_ body: Operations.DownloadComplianceReport.Output.PartialContent.Body) {
        switch body {
        case .binary(let bytes): self = .binary(bytes)
        }
    }
}
