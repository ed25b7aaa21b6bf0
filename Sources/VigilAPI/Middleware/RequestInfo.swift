import Foundation
import VigilServices

/// What the HTTP edge learned about the current request, handed to the generated handlers
/// through a task-local (the pattern of swift-openapi-generator's auth middleware example):
/// the generated `APIProtocol` methods receive only the operation's declared inputs.
struct RequestInfo: Sendable {
    var correlationID: String
    var sourceIP: String?
    var credentials: Credentials
    /// `tag.<name>=<value>` query parameters (metric tag filters; names the spec cannot list).
    var tagFilters: [String: String] = [:]
    /// The `Idempotency-Key` header as sent. The generated server percent-decodes header
    /// values (`+` and `%xx` change, an undecodable one reads as absent), so the key is taken
    /// from the raw header, where the spec's pattern applies.
    var idempotencyKey: String?

    @TaskLocal static var current: RequestInfo?

    var metadata: RequestMetadata { RequestMetadata(correlationID: correlationID, sourceIP: sourceIP) }
}
