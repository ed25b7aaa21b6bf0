import Foundation
import Testing
import VigilCore

struct PartitionDropPlanTests {
    static let a = UUID(uuidString: "00000000-0000-0000-0000-00000000000a")!
    static let b = UUID(uuidString: "00000000-0000-0000-0000-00000000000b")!
    static let c = UUID(uuidString: "00000000-0000-0000-0000-00000000000c")!

    // (case, each workspace's days, expected cutoff, expected extended workspaces)
    static let cases: [(String, [(UUID, Int?)], Int, [UUID])] = [
        ("no workspace: the unknown default", [], 3650, []),
        ("all standard: the longest wins", [(a, 30), (b, 90)], 90, []),
        ("exactly the maximum is standard", [(a, 400), (b, 90)], 400, []),
        ("one extended: it moves, the others drop at the maximum", [(a, 3650), (b, 90)], 400, [a]),
        ("extended only: partitions still go at the maximum", [(a, 1000)], 400, [a]),
        ("two extended, one standard", [(c, 500), (a, 3650), (b, 30)], 400, [a, c]),
        ("unknown class counts as the unknown default (extended)", [(a, nil), (b, 90)], 400, [a]),
    ]

    @Test(arguments: cases.indices)
    func plan(_ index: Int) {
        let (name, retention, cutoff, extended) = Self.cases[index]
        let plan = PartitionDropPlan.plan(retention: retention.map { ($0.0, $0.1) }, standardMaximum: 400, whenUnknown: 3650)
        #expect(plan == PartitionDropPlan(cutoffDays: cutoff, extendedWorkspaces: extended), "\(name)")
    }
}
