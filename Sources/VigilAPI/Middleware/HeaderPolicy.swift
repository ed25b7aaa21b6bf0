import HTTPTypes

/// Bounds on request headers the spec declares. Checked on the raw header, before the
/// generated server decodes it: OpenAPIRuntime percent-decodes header values and reads one it
/// cannot decode (a stray `%`) as absent, so a bound checked after decoding would miss it.
enum HeaderPolicy {
    /// `If-None-Match` on the blocklist (`IfNoneMatch` in the spec): a few entity tags.
    static let maxIfNoneMatchLength = 200

    static func check(_ headers: HTTPFields, path: String) throws(APIError) {
        guard path.hasSuffix("/security/blocklist") || path.hasSuffix("/security/blocklist.txt") else { return }
        for value in headers[values: .ifNoneMatch] where value.unicodeScalars.count > maxIfNoneMatchLength {
            throw APIError(status: .badRequest, code: "invalid_request",
                           message: "If-None-Match is at most \(maxIfNoneMatchLength) characters", details: ["field": "If-None-Match"])
        }
    }
}
