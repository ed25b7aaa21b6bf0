import Foundation
import VigilCore
import VigilServices

/// `Idempotency-Key` on the creating operations (`IdempotencyKey` header parameter in the
/// spec): the key is checked with the core's rules (the spec's pattern and maxLength), the
/// request fingerprinted, and the use case run through `IdempotentIntake`, which stores the
/// answer in the write's own transaction or returns the stored one.
enum IdempotencySupport {
    /// The header's value as a key; nil when absent; a malformed key is a 400 naming the header.
    static func key(_ raw: String?) throws -> IdempotencyKey? {
        do {
            return try IdempotencyKey.parse(raw)
        } catch let failure as ValidationFailure {
            throw ServiceError(failure)
        }
    }

    /// Stored answers are encoded exactly (dates as Doubles, sorted keys), so that decoding one
    /// and handing it to the generated encoder renders the same bytes as the first answer.
    static func answer<Body: Encodable>(_ body: Body, status: Int) throws -> IdempotentResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .deferredToDate
        return IdempotentResponse(status: status, body: try encoder.encode(body))
    }

    static func body<Body: Decodable>(_ type: Body.Type, of answer: IdempotentResponse) throws -> Body {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .deferredToDate
        return try decoder.decode(type, from: answer.body)
    }

    /// Runs `write` (handing it the hook to pass to the use case when the request has a key)
    /// and returns the answer: the first one, stored with the write, or the stored one on a
    /// replay. `fingerprint` is called only when there is a key.
    static func perform<Result: Sendable>(_ operation: IdempotentOperation, rawKey: String?, workspaceID: UUID, services: Services,
                                          fingerprint: () throws -> RequestFingerprint,
                                          respond: @escaping @Sendable (Result) throws -> IdempotentResponse,
                                          write: (IdempotencyHook<Result>?) async throws -> Result) async throws -> IdempotentResponse {
        // The raw header the edge recorded, not the generated server's decoded copy (RequestInfo).
        let raw = RequestInfo.current.map(\.idempotencyKey) ?? rawKey
        guard let key = try Self.key(raw) else { return try respond(try await write(nil)) }
        let request = IdempotencyRequest(operation: operation, key: key, fingerprint: try fingerprint())
        return try await services.idempotency.perform(request, in: workspaceID, respond: respond) { hook in try await write(hook) }
    }
}
