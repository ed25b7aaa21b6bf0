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

    @TaskLocal static var current: RequestInfo?

    var metadata: RequestMetadata { RequestMetadata(correlationID: correlationID, sourceIP: sourceIP) }
}
