import Foundation
import Testing
import VigilCore

struct SeriesKeyTests {
    typealias Pinned = (name: String, tags: [String: String], id: Int64)

    /// Expected ids were computed once, independently of this code, with Python's hashlib over
    /// the documented encoding (0x01, u32be-length-prefixed UTF-8 strings, tags by key bytes):
    ///   struct.unpack('>q', sha256(enc).digest()[:8])[0]
    /// They must never change: stored series are keyed by them.
    static let pinned: [Pinned] = [
        ("http.request.duration", [:], -2_120_716_345_922_167_485),
        ("http.request.duration", ["status": "200", "endpoint": "/api/users"], 2_136_954_410_421_735_680),
        ("a", ["b": "c"], -5_405_225_104_495_306_108),
        ("ab", ["": "c"], 5_700_780_635_310_339_115),
        ("cpu", ["host": "café"], 7_351_309_326_399_022_626),
    ]

    @Test(arguments: pinned)
    func seriesIDIsPinned(_ c: Pinned) {
        #expect(SeriesKey(name: c.name, tags: c.tags).seriesID == c.id)
    }

    @Test func encodingIsTheDocumentedOne() {
        let key = SeriesKey(name: "a", tags: ["b": "c"])
        #expect(key.canonicalEncoding == [1, 0, 0, 0, 1, 0x61, 0, 0, 0, 1, 0, 0, 0, 1, 0x62, 0, 0, 0, 1, 0x63])
    }

    /// Length prefixes keep boundaries unambiguous: moving bytes between name, key and value
    /// gives another series.
    @Test func boundariesAreUnambiguous() {
        let keys = [
            SeriesKey(name: "a", tags: ["b": "c"]), SeriesKey(name: "ab", tags: ["": "c"]),
            SeriesKey(name: "a", tags: ["bc": ""]), SeriesKey(name: "abc", tags: [:]),
            SeriesKey(name: "a", tags: ["b": "c", "d": "e"]), SeriesKey(name: "a", tags: ["b": "cde"]),
        ]
        #expect(Set(keys.map(\.seriesID)).count == keys.count)
        #expect(Set(keys).count == keys.count)
    }

    @Test func tagOrderDoesNotMatter() {
        let a = SeriesKey(name: "m", tags: [MetricTag(key: "z", value: "1"), MetricTag(key: "a", value: "2")])
        let b = SeriesKey(name: "m", tags: ["a": "2", "z": "1"])
        #expect(a == b && a.seriesID == b.seriesID && a.hashValue == b.hashValue)
        #expect(a.tags.map(\.key) == ["a", "z"])
        #expect(a.description == "m{a=\"2\",z=\"1\"}")
    }

    @Test func pointSeriesKeyMatches() throws {
        let raw = RawMetricPoint(name: "m", kind: "gauge", value: 1, tags: ["Z": "1", "a": "2"])
        let point = try #require(try PointValidator.validate([raw], now: Date(), retentionDays: 1).first)
        #expect(point.seriesKey == SeriesKey(name: "m", tags: ["a": "2", "Z": "1"]))
        #expect(point.seriesKey.tags.map(\.key) == ["Z", "a"])  // byte order: uppercase first
    }

    /// Identity is by bytes, like PostgreSQL text: canonically equivalent spellings differ.
    @Test func identityIsByUTF8Bytes() {
        let composed = SeriesKey(name: "m", tags: ["k": "caf\u{E9}"])
        let decomposed = SeriesKey(name: "m", tags: ["k": "cafe\u{301}"])
        #expect(composed != decomposed)
        #expect(composed.seriesID != decomposed.seriesID)
    }

    @Test func noCollisionsAcross100kKeys() {
        var ids = Set<Int64>()
        ids.reserveCapacity(100_000)
        for i in 0..<100_000 {
            let key = SeriesKey(name: "metric.\(i % 10)", tags: ["endpoint": "/api/\(i / 10)", "status": "\(200 + i % 7)"])
            ids.insert(key.seriesID)
        }
        #expect(ids.count == 100_000)
    }
}
