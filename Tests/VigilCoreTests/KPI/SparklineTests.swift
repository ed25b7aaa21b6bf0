import Foundation
import Testing
@testable import VigilCore

struct SparklineTests {
    // Width 104, height 24, pad 2: x spans 2…102, y spans 2 (max) … 22 (min), mid-height 12.
    static let cases: [(label: String, values: [Double], points: String?)] = [
        ("rising", [0, 5, 10], "2,22 52,12 102,2"),
        ("falling, uneven", [10, 0, 2.5], "2,2 52,22 102,17"),
        ("constant", [3, 3, 3], "2,12 52,12 102,12"),
        ("single value", [7], "2,12 102,12"),
        ("negative", [-5, 5], "2,22 102,2"),
        ("all negative", [-10, -20, -15], "2,2 52,22 102,12"),
        ("non-finite dropped", [1, .nan, 3, .infinity], "2,22 102,2"),
        ("empty", [], nil),
        ("only NaN", [.nan], nil),
        ("thirds", [0, 1, 2, 3], "2,22 35.33,15.33 68.67,8.67 102,2"),
        ("extremes do not overflow", [-Double.greatestFiniteMagnitude, Double.greatestFiniteMagnitude], "2,12 102,12"),
    ]

    @Test(arguments: cases)
    func pointMath(_ c: (label: String, values: [Double], points: String?)) {
        let svg = Sparkline.svg(values: c.values, width: 104, height: 24)
        #expect(svg.hasPrefix("<svg width=\"104\" height=\"24\" viewBox=\"0 0 104 24\""), "\(c.label)")
        #expect(svg.hasSuffix("</svg>"))
        if let points = c.points {
            #expect(svg.contains("<polyline points=\"\(points)\""), "\(c.label): \(svg)")
        } else {
            #expect(!svg.contains("<polyline"), "\(c.label)")
        }
        #expect(!svg.contains("http"))
        #expect(!svg.contains("NaN") && !svg.contains("nan") && !svg.contains("inf"))
    }

    @Test func pointsStayInsideTheBox() {
        var rng = KPISplitMix(seed: 5)
        for _ in 0..<200 {
            let values = (0..<(1 + rng.int(40))).map { _ in Double(rng.int(2001) - 1000) / 7 }
            for p in Sparkline.points(values: values, width: 120, height: 24) {
                #expect(p.x >= 2 && p.x <= 118)
                #expect(p.y >= 2 && p.y <= 22)
            }
        }
    }

    @Test func sizesAreClampedAndLabelsEscaped() {
        let svg = Sparkline.svg(values: [1, 2], width: 0, height: .infinity, label: "a\"<b>")
        #expect(svg.hasPrefix("<svg width=\"8\" height=\"24\""))
        #expect(svg.contains("aria-label=\"a&quot;&lt;b&gt;\""))
    }
}
