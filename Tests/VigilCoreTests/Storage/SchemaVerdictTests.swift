import Testing
import VigilCore

struct SchemaVerdictTests {
    static let known = [SchemaVerdict.Known(version: 1, name: "0001_a.sql", checksum: "a"),
                        SchemaVerdict.Known(version: 2, name: "0002_b.sql", checksum: "b")]

    static func applied(_ version: Int, _ checksum: String, compatible: Bool = false) -> SchemaVerdict.Applied {
        SchemaVerdict.Applied(version: version, name: String(format: "%04d_x.sql", version), checksum: checksum, backwardCompatible: compatible)
    }

    // (case, applied, verdict, may run)
    static let cases: [(String, [SchemaVerdict.Applied], SchemaVerdict, Bool)] = [
        ("exactly this build", [applied(1, "a"), applied(2, "b")], .current, true),
        ("nothing applied", [], .pending(["0001_a.sql", "0002_b.sql"]), false),
        ("the last one pending", [applied(1, "a")], .pending(["0002_b.sql"]), false),
        ("an applied file edited", [applied(1, "z"), applied(2, "b")], .modified(["0001_a.sql"]), false),
        ("modified outranks pending", [applied(1, "z")], .modified(["0001_a.sql"]), false),
        ("newer, all compatible", [applied(1, "a"), applied(2, "b"), applied(3, "c", compatible: true), applied(4, "d", compatible: true)],
         .aheadCompatible(["0003_x.sql", "0004_x.sql"]), true),
        ("newer, one not compatible", [applied(1, "a"), applied(2, "b"), applied(3, "c", compatible: true), applied(4, "d")],
         .aheadIncompatible(["0004_x.sql"]), false),
        ("pending outranks newer", [applied(1, "a"), applied(3, "c", compatible: true)], .pending(["0002_b.sql"]), false),
    ]

    @Test(arguments: cases.indices)
    func verdicts(index: Int) {
        let (name, applied, verdict, mayRun) = Self.cases[index]
        let result = SchemaVerdict.of(known: Self.known, applied: applied)
        #expect(result == verdict, "\(name)")
        #expect(result.mayRun == mayRun, "\(name)")
    }
}
