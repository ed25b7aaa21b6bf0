import Foundation
import HTTPTypes
import Hummingbird

/// Report downloads need one correction to what the generated server emits: OpenAPIRuntime
/// percent-encodes header values (it treats them as URI components), which would mangle
/// `Content-Disposition: attachment; filename="…"`, quoted ETags and digests; the download
/// headers (and the blocklist's quoted ETag, which edges send back in `If-None-Match`) are
/// decoded back to their literal values here.
struct DownloadHeaders<Context: RequestContext>: RouterMiddleware {

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        let path = request.uri.path
        guard path.hasPrefix("/v1/report-downloads/") || (path.contains("/compliance/reports/") && path.hasSuffix("/download"))
                || (path.contains("/audit-log/seals/") && path.hasSuffix("/segment"))
                || path.hasSuffix("/security/blocklist") || path.hasSuffix("/security/blocklist.txt") else {
            return response
        }
        for name in downloadHeaderNames {
            if let value = response.headers[name], let decoded = value.removingPercentEncoding { response.headers[name] = decoded }
        }
        return response
    }
}

/// The download headers whose values OpenAPIRuntime percent-encodes.
private let downloadHeaderNames: [HTTPField.Name] = [
    .contentDisposition, .eTag, .contentRange, HTTPField.Name("Repr-Digest")!, HTTPField.Name("Digest")!,
]
