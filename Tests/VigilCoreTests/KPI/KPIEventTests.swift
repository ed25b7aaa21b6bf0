import Foundation
import Testing
@testable import VigilCore

struct KPIEventTests {
    static let now = KPIFixture.instant("2025-06-15T12:00:00Z")
    static let ratio = KPIDefinition(key: "conversion", name: "Conversion", aggregation: .ratio(numerator: "checkout", denominator: "visit"))
    static let sum = KPIDefinition(key: "revenue", name: "Revenue", unit: "EUR", aggregation: .sum)

    static func event(_ edit: (inout KPIEvent) -> Void = { _ in }) -> KPIEvent {
        var e = KPIEvent(kpiKey: "revenue", value: 12.5, timestamp: now.addingTimeInterval(-60),
                         dimensions: ["source": "web_app", "country": "US", "device_type": "desktop"])
        edit(&e)
        return e
    }

    static let tooMany = Dictionary(uniqueKeysWithValues: (0..<11).map { ("d\($0)", "v") })
    static let ten = Dictionary(uniqueKeysWithValues: (0..<10).map { ("d\($0)", "v") })

    static let cases: [(label: String, definition: KPIDefinition, edit: @Sendable (inout KPIEvent) -> Void, field: String?)] = [
        ("valid", sum, { _ in }, nil),
        ("ten dimensions", sum, { $0.dimensions = ten }, nil),
        ("eleven dimensions", sum, { $0.dimensions = tooMany }, "dimensions"),
        ("wrong kpi", sum, { $0.kpiKey = "other" }, "kpi"),
        ("NaN", sum, { $0.value = .nan }, "value"),
        ("infinite", sum, { $0.value = .infinity }, "value"),
        ("huge", sum, { $0.value = -1e16 }, "value"),
        ("stream on a sum", sum, { $0.stream = "numerator" }, "stream"),
        ("ratio numerator by name", ratio, { $0.kpiKey = "conversion"; $0.stream = "checkout" }, nil),
        ("ratio denominator alias", ratio, { $0.kpiKey = "conversion"; $0.stream = "denominator" }, nil),
        ("ratio without stream", ratio, { $0.kpiKey = "conversion" }, "stream"),
        ("ratio unknown stream", ratio, { $0.kpiKey = "conversion"; $0.stream = "cart" }, "stream"),
        ("89 days late", sum, { $0.timestamp = now.addingTimeInterval(-89 * 86_400) }, nil),
        ("91 days late", sum, { $0.timestamp = now.addingTimeInterval(-91 * 86_400) }, "timestamp"),
        ("5 minutes ahead", sum, { $0.timestamp = now.addingTimeInterval(300) }, nil),
        ("6 minutes ahead", sum, { $0.timestamp = now.addingTimeInterval(360) }, "timestamp"),
        ("bad dimension name", sum, { $0.dimensions = ["device type": "x"] }, "dimensions.device type"),
        ("long dimension name", sum, { $0.dimensions = [String(repeating: "k", count: 65): "x"] }, "dimensions." + String(repeating: "k", count: 64) + "…"),
        ("empty dimension value", sum, { $0.dimensions = ["source": ""] }, "dimensions.source"),
        ("control in dimension value", sum, { $0.dimensions = ["source": "web\napp"] }, "dimensions.source"),
        ("long dimension value", sum, { $0.dimensions = ["source": String(repeating: "v", count: 257)] }, "dimensions.source"),
        ("unicode dimension value", sum, { $0.dimensions = ["country": "Österreich"] }, nil),
    ]

    @Test(arguments: cases.indices)
    func validation(_ i: Int) {
        let c = Self.cases[i]
        #expect(Self.event(c.edit).validate(against: c.definition, now: Self.now)?.field == c.field, "\(c.label)")
    }

    @Test func canonicalDimensionIDIsStableAndOrderFree() {
        // printf '2:v1,7:country,2:US,6:source,7:web_app,' | sha256sum
        let expected = "a9f1c27e7ba725a97fce955f7702555a0c50d5422589c4eb09cac111d7690c34"
        #expect(KPIDimensions.canonicalID(["source": "web_app", "country": "US"]) == expected)
        #expect(KPIDimensions.canonicalID(["country": "US", "source": "web_app"]) == expected)
        #expect(String(decoding: KPIDimensions.canonicalEncoding([:]), as: UTF8.self) == "2:v1,")
        // Length prefixes: no separator can be forged.
        #expect(KPIDimensions.canonicalID(["a": "b,1:c"]) != KPIDimensions.canonicalID(["a": "b", "c": ""]))
    }
}
