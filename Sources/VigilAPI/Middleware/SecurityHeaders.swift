import HTTPTypes
import Hummingbird

/// Headers that keep browsers and caches from doing the wrong thing with Vigil's answers,
/// whatever a tenant managed to put into them:
/// - `nosniff` on every response, so JSON or CSV holding tenant text is never sniffed as HTML;
/// - a Content-Security-Policy on HTML (the digest preview), which allows inline styles and
///   data: images (its SVG sparklines) and nothing else: no script, no fetch, no framing;
/// - `Cache-Control: no-store` on report downloads and signed links, so personal data and
///   bearer-like URLs are not kept by shared caches or the browser's disk cache.
/// - `charset=utf-8` on every `text/*` answer that does not name one (the spec at
///   `/openapi.yaml`, the metrics exposition, digest previews), so no client guesses Latin-1.
/// Added as the outermost middleware, so error responses get them too.
struct SecurityHeaders<Context: RequestContext>: RouterMiddleware {
    static var htmlPolicy: String {
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        if let type = response.headers[.contentType], type.lowercased().hasPrefix("text/"), !type.lowercased().contains("charset=") {
            response.headers[.contentType] = type + "; charset=utf-8"
        }
        if response.headers[.contentType]?.lowercased().hasPrefix("text/html") == true {
            response.headers[.contentSecurityPolicy] = Self.htmlPolicy
        }
        if Self.isSensitiveDownload(request.uri.path) {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }

    /// Report files, signed links to them, and the answer that hands out a signed link.
    static func isSensitiveDownload(_ path: String) -> Bool {
        path.hasPrefix("/v1/report-downloads/")
            || (path.contains("/compliance/reports/") && (path.hasSuffix("/download") || path.hasSuffix("/download-link")))
    }
}
