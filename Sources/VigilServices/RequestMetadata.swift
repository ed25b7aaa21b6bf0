import Foundation

/// What a use case needs to know about the request that invoked it, for the audit log.
public struct RequestMetadata: Sendable, Equatable {
    public var correlationID: String
    public var sourceIP: String?

    public init(correlationID: String, sourceIP: String?) {
        self.correlationID = correlationID
        self.sourceIP = sourceIP
    }
}
