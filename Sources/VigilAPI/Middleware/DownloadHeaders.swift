import Foundation
import HTTPTypes
import Hummingbird

/// Report downloads need two corrections to what the generated server emits:
/// - OpenAPIRuntime percent-encodes header values (it treats them as URI components), which
///   would mangle `Content-Disposition: attachment; filename="…"`, quoted ETags and digests;
///   the download headers are decoded back to their literal values here.
/// - Stored bytes can only be streamed as-is for non-JSON media types, so JSON report files leave
///   the controller labelled `text/csv`; this restores `application/json` for them, keyed on the
///   file name we set ourselves.
struct DownloadHeaders<Context: RequestContext>: RouterMiddleware {

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        let path = request.uri.path
        guard path.hasPrefix("/v1/report-downloads/") || (path.contains("/compliance/reports/") && path.hasSuffix("/download")) else {
            return response
        }
        for name in downloadHeaderNames {
            if let value = response.headers[name], let decoded = value.removingPercentEncoding { response.headers[name] = decoded }
        }
        if response.headers[.contentType]?.hasPrefix("text/csv") == true,
           response.headers[.contentDisposition]?.contains(".json\"") == true {
            response.headers[.contentType] = "application/json"
        }
        return response
    }
}

/// The download headers whose values OpenAPIRuntime percent-encodes.
private let downloadHeaderNames: [HTTPField.Name] = [
    .contentDisposition, .eTag, .contentRange, HTTPField.Name("Repr-Digest")!, HTTPField.Name("Digest")!,
]
