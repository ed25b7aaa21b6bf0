import Foundation
import Testing
@testable import VigilCore

struct KPIKeyTests {
    static let cases: [(key: String, valid: Bool)] = [
        ("registrations", true),
        ("user_registrations", true),
        ("conversion-rate", true),
        ("7day_active", true),
        ("a", true),
        (String(repeating: "k", count: 63), true),
        (String(repeating: "k", count: 64), false),
        ("", false),
        ("_private", false),
        ("-dash", false),
        ("Registrations", false),
        ("conversion rate", false),
        ("kpi.name", false),
        ("café", false),
        ("a/b", false),
    ]

    @Test(arguments: cases)
    func keyRules(_ c: (key: String, valid: Bool)) {
        #expect(KPIKey.isValid(c.key) == c.valid, "\(c.key)")
        #expect((KPIKey.validate(c.key) == nil) == c.valid)
    }
}

struct KPIDefinitionTests {
    static func definition(_ edit: (inout KPIDefinition) -> Void = { _ in }) -> KPIDefinition {
        var d = KPIDefinition(key: "conversion", name: "Conversion", description: "Checkouts per visit", unit: "%",
                              aggregation: .ratio(numerator: "checkout", denominator: "visit"), target: 0.05,
                              direction: .higherIsBetter)
        edit(&d)
        return d
    }

    /// Each edit and the field it must be rejected for (nil: valid).
    static let cases: [(label: String, edit: @Sendable (inout KPIDefinition) -> Void, field: String?)] = [
        ("valid ratio", { _ in }, nil),
        ("valid sum without target", { $0.aggregation = .sum; $0.target = nil }, nil),
        ("plain ratio aliases", { $0.aggregation = .plainRatio }, nil),
        ("bad key", { $0.key = "Conversion" }, "key"),
        ("empty name", { $0.name = "   " }, "name"),
        ("untrimmed name", { $0.name = " Conversion" }, "name"),
        ("long name", { $0.name = String(repeating: "n", count: 201) }, "name"),
        ("long description", { $0.description = String(repeating: "d", count: 2001) }, "description"),
        ("long unit", { $0.unit = String(repeating: "u", count: 33) }, "unit"),
        ("control in unit", { $0.unit = "EUR\n" }, "unit"),
        ("NaN target", { $0.target = .nan }, "target"),
        ("infinite target", { $0.target = -.infinity }, "target"),
        ("huge target", { $0.target = 2e15 }, "target"),
        ("bad numerator stream", { $0.aggregation = .ratio(numerator: "Check Out", denominator: "visit") }, "numerator_stream"),
        ("bad denominator stream", { $0.aggregation = .ratio(numerator: "checkout", denominator: "") }, "denominator_stream"),
        ("same streams", { $0.aggregation = .ratio(numerator: "visit", denominator: "visit") }, "denominator_stream"),
        ("numerator named like the other alias", { $0.aggregation = .ratio(numerator: "denominator", denominator: "visit") },
         "numerator_stream"),
        ("denominator named like the other alias", { $0.aggregation = .ratio(numerator: "checkout", denominator: "numerator") },
         "numerator_stream"),
    ]

    @Test(arguments: cases.indices)
    func validation(_ i: Int) {
        let c = Self.cases[i]
        #expect(Self.definition(c.edit).validate()?.field == c.field, "\(c.label)")
    }

    @Test func aggregationFromFlatFields() {
        #expect(KPIAggregation(kind: .sum) == .sum)
        #expect(KPIAggregation(kind: .ratio) == .plainRatio)
        #expect(KPIAggregation(kind: .ratio, numerator: "a") == .ratio(numerator: "a", denominator: "denominator"))
        #expect(KPIAggregation(kind: .avg, numerator: "a") == nil)
        for kind in KPIAggregation.Kind.allCases { #expect(KPIAggregation(kind: kind)?.kind == kind) }
    }

    @Test func streamRoles() {
        let ratio = KPIAggregation.ratio(numerator: "checkout", denominator: "visit")
        #expect(ratio.role(ofStream: "checkout") == .numerator)
        #expect(ratio.role(ofStream: "numerator") == .numerator)
        #expect(ratio.role(ofStream: "visit") == .denominator)
        #expect(ratio.role(ofStream: "denominator") == .denominator)
        #expect(ratio.role(ofStream: "other") == nil)
        #expect(ratio.role(ofStream: nil) == nil)
        #expect(KPIAggregation.sum.role(ofStream: "numerator") == nil)
    }

    @Test func directionParsing() {
        #expect(KPIDirection(parsing: "higher") == .higherIsBetter)
        #expect(KPIDirection(parsing: "lower_is_better") == .lowerIsBetter)
        #expect(KPIDirection(parsing: "up") == nil)
    }

    @Test func jsonRoundTripAndShape() throws {
        let ratio = Self.definition()
        let data = try JSONEncoder().encode(ratio)
        #expect(try JSONDecoder().decode(KPIDefinition.self, from: data) == ratio)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["aggregation"] as? String == "ratio")
        #expect(object["numerator_stream"] as? String == "checkout")
        #expect(object["direction"] as? String == "higher_is_better")

        let sum = Self.definition { $0.aggregation = .sum; $0.target = nil; $0.direction = .lowerIsBetter }
        let sumData = try JSONEncoder().encode(sum)
        #expect(try JSONDecoder().decode(KPIDefinition.self, from: sumData) == sum)
        let sumObject = try #require(try JSONSerialization.jsonObject(with: sumData) as? [String: Any])
        #expect(sumObject["numerator_stream"] == nil)
        #expect(sumObject["target"] == nil)
    }

    @Test func streamNamesOnANonRatioDoNotDecode() {
        let json = #"{"key":"k","name":"K","aggregation":"sum","numerator_stream":"x"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(KPIDefinition.self, from: Data(json.utf8)) }
    }

    @Test func missingOptionalFieldsTakeDefaults() throws {
        let json = #"{"key":"logins","name":"Logins","aggregation":"count"}"#
        let d = try JSONDecoder().decode(KPIDefinition.self, from: Data(json.utf8))
        #expect(d == KPIDefinition(key: "logins", name: "Logins", aggregation: .count))
        #expect(d.validate() == nil)
    }

    @Test func displayScale() {
        #expect(Self.definition().displayScale == 100)
        #expect(Self.definition { $0.unit = "checkouts/visit" }.displayScale == 1)
        #expect(Self.definition { $0.aggregation = .avg }.displayScale == 1)
    }
}
