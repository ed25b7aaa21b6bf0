import Foundation
import Testing
@testable import VigilCore

/// Never crash, never accept garbage: truncations, random bytes and random mutations.
struct MetricBatchJSONFuzzTests {
    static let valid = Ingest.body([
        Ingest.fullPoint, #"{"name":"é\n\ud83d\ude00","kind":"gauge","value":-1.5e-3,"timestamp":null,"x":[1,{"y":[true,false,null]}],"tags":{}}"#,
    ])

    /// Every proper prefix of a valid body is invalid JSON, so each must fail (and not crash).
    @Test func everyTruncationFails() {
        let bytes = Array(Self.valid.utf8)
        #expect((try? MetricBatchJSON.parse(bytes, maxPoints: 10)) != nil)
        for n in 0..<bytes.count {
            guard case .failure(let failure) = Ingest.parse(Array(bytes[..<n])) else {
                Issue.record("accepted prefix of length \(n)")
                continue
            }
            #expect(failure.field == "body", "prefix \(n): \(failure)")
        }
    }

    @Test func randomBytesNeverCrash() {
        var rng = Ingest.SplitMix(state: 1)
        let alphabet = Array(#"{}[]":,.-+0123456789eEtrufalsn \\u"#.utf8) + [0x80, 0xC3, 0xA9, 0xF0, 0xFF, 0x00]
        for i in 0..<5_000 {
            let length = Int.random(in: 0...64, using: &rng)
            let bytes: [UInt8] = (0..<length).map { _ in
                i.isMultiple(of: 2) ? UInt8.random(in: 0...255, using: &rng) : alphabet.randomElement(using: &rng)!
            }
            _ = Ingest.parse([UInt8(ascii: "{")] + bytes)
            _ = Ingest.parse(bytes)
        }
    }

    /// Mutated valid bodies: whatever we accept, JSONSerialization must accept too
    /// (so we are never more lenient than the JSON grammar).
    @Test func mutationsNeverCrashAndAreNeverLenient() throws {
        var rng = Ingest.SplitMix(state: 2)
        let original = Array(Self.valid.utf8)
        let interesting = Array(#"{}[]":,.-+0eE\u"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xED, 0xF4, 0xFF]
        var accepted = 0
        for _ in 0..<5_000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: bytes[at] = interesting.randomElement(using: &rng)!
                case 1: bytes[at] = UInt8.random(in: 0...255, using: &rng)
                case 2: bytes.remove(at: at)
                default: bytes.insert(interesting.randomElement(using: &rng)!, at: at)
                }
                if bytes.isEmpty { break }
            }
            if case .success = Ingest.parse(bytes) {
                accepted += 1
                #expect((try? JSONSerialization.jsonObject(with: Data(bytes))) != nil, "\(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(accepted > 0)  // some mutations (e.g. digit changes) stay valid
    }
}
