import Foundation

/// What can be wrong with a sealed audit segment, checked offline from the file alone (and
/// optionally the operator's pinned public key and the previous segment's head).
public enum AuditSegmentProblem: Equatable, Sendable, CustomStringConvertible {
    case unknownFormat(String)
    /// A manifest field disagrees with the rows (the field's name).
    case manifestMismatch(String)
    case brokenChain(seq: Int64, reason: AuditChain.Defect)
    /// The key id is not the public key's.
    case keyIDMismatch
    /// Signed by a key other than the pinned one.
    case unexpectedKey(keyID: String)
    case badSignature
    /// Does not continue where the previous segment ended.
    case notContiguous(expected: AuditChain.Position)

    public var description: String {
        switch self {
        case .unknownFormat(let format): "unknown format '\(format.prefix(60))' (expected \(AuditSegment.formatName))"
        case .manifestMismatch(let field): "the manifest's \(field) does not match the rows"
        case .brokenChain(let seq, let reason): "the chain breaks at seq \(seq): \(reason.rawValue)"
        case .keyIDMismatch: "the manifest's key_id is not its public key's"
        case .unexpectedKey(let keyID): "signed by key \(keyID.prefix(40)), not the pinned public key"
        case .badSignature: "the signature does not match the manifest"
        case .notContiguous(let expected): "does not continue the previous segment (expected seq \(expected.seq + 1) after hash \(expected.hash))"
        }
    }
}

extension AuditSegment {
    /// Every problem found, in the order checked (empty: the segment is intact). `pinnedPublicKey`
    /// (base64) must have signed it when given; `previous` is where it must continue (the
    /// previous segment's head), when known.
    public func problems(pinnedPublicKey: String? = nil, after previous: AuditChain.Position? = nil) -> [AuditSegmentProblem] {
        guard format == Self.formatName else { return [.unknownFormat(format)] }
        var found: [AuditSegmentProblem] = []
        let m = manifest
        let mismatched: [(String, Bool)] = [
            ("row_count", m.rowCount != Int64(rows.count)),
            ("seq_from", m.seqFrom != rows.first?.seq),
            ("seq_to", m.seqTo != rows.last?.seq),
            ("prev_hash", m.prevHash != rows.first?.prevHash),
            ("head_hash", m.headHash != rows.last?.rowHash),
            ("first_occurred_at_us", m.firstOccurredAtMicros != rows.first?.occurredAtMicros),
            ("last_occurred_at_us", m.lastOccurredAtMicros != rows.last?.occurredAtMicros),
            ("workspace_id", rows.contains { $0.workspaceID != m.workspaceID }),
        ]
        found += mismatched.filter(\.1).map { .manifestMismatch($0.0) }
        var verifier = AuditChain.Verifier(after: AuditChain.Position(seq: m.seqFrom - 1, hash: m.prevHash))
        for row in rows { verifier.feed(row) }
        if let (record, defect) = verifier.firstDefect { found.append(.brokenChain(seq: record.seq, reason: defect)) }
        if let keyData = Data(base64Encoded: m.publicKey), AuditSigningKey.keyID(ofPublicKey: keyData) != m.keyID {
            found.append(.keyIDMismatch)
        }
        if let pinnedPublicKey, pinnedPublicKey != m.publicKey { found.append(.unexpectedKey(keyID: m.keyID)) }
        if !AuditSigningKey.verify(signature: signature, of: m.signingBytes(format: format), publicKey: m.publicKey) {
            found.append(.badSignature)
        }
        if let previous, previous != AuditChain.Position(seq: m.seqFrom - 1, hash: m.prevHash) {
            found.append(.notContiguous(expected: previous))
        }
        return found
    }

    /// Where the chain continues after this segment.
    public var head: AuditChain.Position { AuditChain.Position(seq: manifest.seqTo, hash: manifest.headHash) }
}
