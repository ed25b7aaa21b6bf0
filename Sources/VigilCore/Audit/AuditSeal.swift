import Foundation

/// A stored seal: the manifest of a sealed audit segment, kept for good, and whether its body
/// can still be downloaded (bodies are discarded after a while; see docs/compliance.md).
public struct AuditSeal: Sendable, Equatable {
    public var id: UUID
    public var manifest: AuditSegment.Manifest
    public var signature: String
    public var segmentSHA256: String
    public var segmentBytes: Int64
    public var segmentDiscardedAt: Date?

    public init(id: UUID, manifest: AuditSegment.Manifest, signature: String, segmentSHA256: String, segmentBytes: Int64,
                segmentDiscardedAt: Date?) {
        self.id = id
        self.manifest = manifest
        self.signature = signature
        self.segmentSHA256 = segmentSHA256
        self.segmentBytes = segmentBytes
        self.segmentDiscardedAt = segmentDiscardedAt
    }

    public var head: AuditChain.Position { AuditChain.Position(seq: manifest.seqTo, hash: manifest.headHash) }

    /// What is wrong with this seal as the continuation of the chain at `position` (nil: it
    /// continues it, and its manifest carries its own key's signature).
    public func defect(after position: AuditChain.Position) -> AuditChain.Defect? {
        if manifest.seqFrom != position.seq + 1 { return .sequenceGap }
        if manifest.prevHash != position.hash { return .prevHashMismatch }
        let signed = AuditSigningKey.verify(signature: signature, of: manifest.signingBytes(format: AuditSegment.formatName),
                                            publicKey: manifest.publicKey)
        return signed ? nil : .sealSignatureMismatch
    }
}
