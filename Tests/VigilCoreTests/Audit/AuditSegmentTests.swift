import Foundation
import Testing
import VigilCore

/// Sealed audit segments: what the worker signs and what `vigil audit verify-segment` checks
/// offline. Every tampering an archive could suffer is named with the problem it must raise.
struct AuditSegmentTests {
    static let key = try! AuditSigningKey(settingText: AuditSigningKey.generateSettingText())
    static let otherKey = try! AuditSigningKey(settingText: AuditSigningKey.generateSettingText())
    static let chain = AuditChainTests.chain(6)

    /// Rows 1–3 and 4–6 sealed as two consecutive segments.
    static func segments() throws -> (AuditSegment, AuditSegment) {
        let first = try AuditSegment.seal(Array(chain[0..<3]), after: .genesis, sealedAtMicros: 1_800_000_000_000_000, key: key)
        let second = try AuditSegment.seal(Array(chain[3..<6]), after: first.head, sealedAtMicros: 1_800_000_000_000_001, key: key)
        return (first, second)
    }

    @Test func aSealedSegmentVerifiesAndRoundTripsThroughItsDocument() throws {
        let (first, second) = try Self.segments()
        #expect(first.manifest.seqFrom == 1 && first.manifest.seqTo == 3 && first.manifest.rowCount == 3)
        #expect(first.manifest.prevHash == AuditChain.genesisHash)
        #expect(first.manifest.headHash == Self.chain[2].rowHash)
        #expect(first.manifest.keyID == Self.key.keyID)
        let decoded = try AuditSegment.decode(try first.encoded())
        #expect(decoded == first)
        #expect(try decoded.encoded() == first.encoded(), "the same segment always has the same bytes")
        #expect(decoded.problems(pinnedPublicKey: Self.key.publicKey).isEmpty)
        #expect(second.problems(pinnedPublicKey: Self.key.publicKey, after: first.head).isEmpty)
    }

    // (tampering, the problem it must raise)
    static let tamperings: [(String, @Sendable (inout AuditSegment) -> Void, AuditSegmentProblem)] = [
        ("details edited", { $0.rows[1].details["n"] = "x" }, .brokenChain(seq: 2, reason: .detailsDigestMismatch)),
        ("action edited", { $0.rows[2].action = "other" }, .brokenChain(seq: 3, reason: .rowHashMismatch)),
        ("row removed", { $0.rows.remove(at: 1) }, .manifestMismatch("row_count")),
        ("row removed, count fixed", { $0.rows.remove(at: 1); $0.manifest.rowCount = 2 }, .badSignature),
        ("head hash replaced", { $0.manifest.headHash = String(repeating: "b", count: 64) }, .manifestMismatch("head_hash")),
        ("sealing time changed", { $0.manifest.sealedAtMicros += 1 }, .badSignature),
        ("signature of another segment", { $0.signature = String(repeating: "A", count: 86) + "==" }, .badSignature),
        ("format renamed", { $0.format = "other" }, .unknownFormat("other")),
        ("key id changed", { $0.manifest.keyID = "0000000000000000" }, .keyIDMismatch),
    ]

    @Test(arguments: tamperings.indices)
    func tamperingIsFound(_ index: Int) throws {
        let (name, tamper, expected) = Self.tamperings[index]
        var (segment, _) = try Self.segments()
        tamper(&segment)
        #expect(segment.problems(pinnedPublicKey: Self.key.publicKey).contains(expected), "\(name): \(segment.problems())")
    }

    @Test func aSegmentResignedWithAnotherKeyFailsOnlyAgainstThePinnedKey() throws {
        let forged = try AuditSegment.seal(Array(Self.chain[0..<3]), after: .genesis, sealedAtMicros: 1, key: Self.otherKey)
        #expect(forged.problems().isEmpty, "against its embedded key a re-signed file is consistent")
        #expect(forged.problems(pinnedPublicKey: Self.key.publicKey) == [.unexpectedKey(keyID: Self.otherKey.keyID)])
    }

    @Test func segmentsMustContinueOneAnother() throws {
        let (first, second) = try Self.segments()
        #expect(second.problems(after: .genesis) == [.notContiguous(expected: .genesis)])
        #expect(first.problems(after: second.head) == [.notContiguous(expected: second.head)])
    }

    @Test func aRedactedRowStillVerifies() throws {
        var rows = Array(Self.chain[0..<3])
        rows[1].details = ["n": "[erased]", AuditChain.redactionMarkerKey: "2026-12-01T00:00:00Z"]
        let segment = try AuditSegment.seal(rows, after: .genesis, sealedAtMicros: 1, key: Self.key, redacted: { $0 == 2 })
        #expect(segment.problems(pinnedPublicKey: Self.key.publicKey).isEmpty)
    }

    @Test func sealingRefusesABrokenChainOrNothing() {
        var rows = Array(Self.chain[0..<3])
        rows[1].details["n"] = "x"
        #expect(throws: AuditSegment.SealError.brokenChain(seq: 2, reason: .detailsDigestMismatch)) {
            try AuditSegment.seal(rows, after: .genesis, sealedAtMicros: 1, key: Self.key)
        }
        #expect(throws: AuditSegment.SealError.brokenChain(seq: 4, reason: .sequenceGap)) {
            try AuditSegment.seal(Array(Self.chain[3..<6]), after: .genesis, sealedAtMicros: 1, key: Self.key)
        }
        #expect(throws: AuditSegment.SealError.empty) { try AuditSegment.seal([], after: .genesis, sealedAtMicros: 1, key: Self.key) }
    }

    // (setting text, accepted)
    static let keySettings: [(String, Bool)] = [
        (AuditSigningKey.generateSettingText(), true),
        ("not base64!", false),
        (Data(repeating: 1, count: 16).base64EncodedString(), false),
        (Data(repeating: 1, count: 32).base64EncodedString(), true),
    ]

    @Test(arguments: keySettings.indices)
    func signingKeySetting(_ index: Int) {
        let (text, accepted) = Self.keySettings[index]
        #expect(((try? AuditSigningKey(settingText: text)) != nil) == accepted)
    }

    // (case, cutoff after row n (rows 1–6 occur at base+1…base+6), max rows, max bytes, rows due)
    static let dueCases: [(String, Int64, Int, Int, Int)] = [
        ("nothing old enough", 0, 100, 1 << 20, 0),
        ("the old prefix", 3, 100, 1 << 20, 3),
        ("capped by rows", 6, 4, 1 << 20, 4),
        ("capped by bytes", 6, 100, 1_200, 2),
        ("one oversized row still goes alone", 6, 100, 10, 1),
    ]

    @Test(arguments: dueCases.indices)
    func duePrefix(_ index: Int) {
        let (name, oldRows, maxRows, maxBytes, expected) = Self.dueCases[index]
        let cutoff = 1_790_000_000_000_000 + oldRows + 1
        let due = AuditSegment.duePrefix(Self.chain, before: cutoff, maxRows: maxRows, maxBytes: maxBytes)
        #expect(due.map(\.seq) == Array(Self.chain.prefix(expected).map(\.seq)), "\(name)")
    }

    @Test func aStoredSealIsCheckedForContinuityAndItsSignature() throws {
        let (first, second) = try Self.segments()
        func seal(_ s: AuditSegment) -> AuditSeal {
            AuditSeal(id: UUID(), manifest: s.manifest, signature: s.signature, segmentSHA256: "", segmentBytes: 1, segmentDiscardedAt: nil)
        }
        #expect(seal(first).defect(after: .genesis) == nil)
        #expect(seal(second).defect(after: first.head) == nil)
        #expect(seal(second).defect(after: .genesis) == .sequenceGap)
        #expect(seal(second).defect(after: AuditChain.Position(seq: 3, hash: AuditChain.genesisHash)) == .prevHashMismatch)
        var moved = seal(first)
        moved.manifest.firstOccurredAtMicros -= 86_400_000_000
        #expect(moved.defect(after: .genesis) == .sealSignatureMismatch)
    }

    @Test func aRowOfAnotherWorkspaceIsAManifestMismatch() throws {
        var (segment, _) = try Self.segments()
        segment.rows[0].workspaceID = UUID()
        #expect(segment.problems().contains(.manifestMismatch("workspace_id")))
    }
}
