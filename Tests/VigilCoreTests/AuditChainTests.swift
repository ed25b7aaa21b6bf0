import Foundation
import Testing
import VigilCore

struct AuditChainTests {
    static let workspace = UUID()

    static func chain(_ count: Int) -> [AuditRecord] {
        var records: [AuditRecord] = []
        for i in 1...count {
            let draft = AuditRecord(workspaceID: workspace, seq: Int64(i), id: UUID(), occurredAtMicros: 1_790_000_000_000_000 + Int64(i),
                                    actorType: "admin", actorID: "admin", action: "thing.\(i)", resourceType: "thing",
                                    resourceID: "\(i)", sourceIP: "127.0.0.1", correlationID: "c\(i)",
                                    details: ["n": "\(i)"], detailsDigest: "", prevHash: "", rowHash: "")
            records.append(AuditChain.seal(draft, after: records.last?.rowHash))
        }
        return records
    }

    static func verify(_ records: [AuditRecord]) -> AuditChain.Verifier {
        var verifier = AuditChain.Verifier()
        records.forEach { verifier.feed($0) }
        return verifier
    }

    @Test func intactChainVerifies() {
        let records = Self.chain(5)
        #expect(records[0].prevHash == AuditChain.genesisHash)
        #expect(records[1].prevHash == records[0].rowHash)
        let verifier = Self.verify(records)
        #expect(verifier.intact)
        #expect(verifier.checked == 5)
    }

    // (tampering, expected first bad seq, expected defect)
    static let tamperings: [(String, @Sendable (inout [AuditRecord]) -> Void, Int64, AuditChain.Defect)] = [
        ("action edited", { $0[2].action = "other" }, 3, .rowHashMismatch),
        ("details edited", { $0[1].details["n"] = "x" }, 2, .detailsDigestMismatch),
        ("row deleted", { $0.remove(at: 2) }, 4, .sequenceGap),
        ("row hash rewritten", { $0[3].rowHash = String(repeating: "a", count: 64) }, 4, .rowHashMismatch),
        ("row re-sealed after edit", { $0[1].actorID = "mallory"; $0[1] = AuditChain.seal($0[1], after: $0[0].rowHash) }, 3, .prevHashMismatch),
        ("seq renumbered", { $0[4].seq = 9 }, 9, .sequenceGap),
    ]

    @Test(arguments: tamperings.indices)
    func tamperingIsDetectedAtTheFirstBadRow(index: Int) {
        let (_, tamper, seq, defect) = Self.tamperings[index]
        var records = Self.chain(6)
        tamper(&records)
        let verifier = Self.verify(records)
        #expect(!verifier.intact)
        #expect(verifier.firstDefect?.record.seq == seq)
        #expect(verifier.firstDefect?.defect == defect)
    }

    @Test func redactedDetailsKeepTheChainVerifiable() {
        var records = Self.chain(3)
        records[1].details = ["n": "[erased]"]
        var verifier = AuditChain.Verifier()
        verifier.feed(records[0])
        verifier.feed(records[1], detailsRedacted: true)
        verifier.feed(records[2])
        #expect(verifier.intact)
    }

    @Test func detailsDigestIsIndependentOfInsertionOrderButNotOfContent() {
        let a = AuditChain.detailsDigest(["a": "1", "b": "2"])
        let b = AuditChain.detailsDigest(["b": "2", "a": "1"])
        #expect(a == b)
        #expect(AuditChain.detailsDigest(["a": "12"]) != AuditChain.detailsDigest(["a1": "2"]))
    }
}
