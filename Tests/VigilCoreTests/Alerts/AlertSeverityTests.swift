import Foundation
import Testing
import VigilCore

struct AlertSeverityTests {
    @Test(arguments: [
        ("info", AlertSeverity.info), ("low", .low), ("medium", .medium), ("warning", .medium),
        ("WARNING", .medium), ("Warning", .medium), ("high", .high), ("CRITICAL", .critical), ("Critical", .critical),
    ])
    func parsesCanonicalNamesAndWarning(text: String, expected: AlertSeverity) {
        #expect(AlertSeverity(parsing: text) == expected)
    }

    @Test(arguments: ["", " high", "high ", "warn", "error", "sev1", "mediun"])
    func rejectsEverythingElse(text: String) {
        #expect(AlertSeverity(parsing: text) == nil)
        #expect(throws: ValidationFailure.self) { try AlertSeverity.validated(text) }
    }

    @Test func ordersFromInfoToCritical() {
        #expect(AlertSeverity.allCases.sorted() == [.info, .low, .medium, .high, .critical])
        #expect(AlertSeverity.info < .low && .high < .critical)
        #expect(AlertSeverity.allCases.map(\.rank) == [0, 1, 2, 3, 4])
    }

    @Test func decodesSynonymsAndEncodesCanonically() throws {
        let decoded = try JSONDecoder().decode([AlertSeverity].self, from: Data(#"["Warning","critical"]"#.utf8))
        #expect(decoded == [.medium, .critical])
        #expect(String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self) == #"["medium","critical"]"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([AlertSeverity].self, from: Data(#"["sev1"]"#.utf8)) }
    }

    @Test func validationNamesTheField() {
        #expect(throws: ValidationFailure(field: "routes[0].min_severity",
                                          message: "'urgent' is not a severity (info, low, medium or warning, high, critical)")) {
            try AlertSeverity.validated("urgent", field: "routes[0].min_severity")
        }
    }
}
