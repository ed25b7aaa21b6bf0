import Testing
import VigilCore

struct NotificationGroupingTests {
    static let labels = ["service": "api", "env": "prod", "region": "eu", "empty": ""]

    @Test(arguments: [
        (["env", "service"], #"{env="prod",service="api"}"#),
        (["service", "env"], #"{env="prod",service="api"}"#),     // order of `by` does not matter
        (["env", "env"], #"{env="prod"}"#),                        // duplicates ignored
        ([], "{}"),
        (["missing"], #"{missing=""}"#),
        (["B", "a"], #"{B="",a=""}"#),                              // byte order: uppercase first
    ])
    func keys(by: [String], expected: String) {
        #expect(NotificationGrouping.groupKey(labels: Self.labels, by: by) == expected)
    }

    @Test func missingAndEmptyGroupTogether() {
        #expect(NotificationGrouping.groupKey(labels: [:], by: ["empty"])
            == NotificationGrouping.groupKey(labels: Self.labels, by: ["empty"]))
    }

    @Test func valuesCannotForgeSeparators() {
        let forged = NotificationGrouping.groupKey(labels: ["a": #"1",b="2"#], by: ["a", "b"])
        let honest = NotificationGrouping.groupKey(labels: ["a": "1", "b": "2"], by: ["a", "b"])
        #expect(forged != honest)
        #expect(forged == #"{a="1\",b=\"2",b=""}"#)
        #expect(NotificationGrouping.groupKey(labels: ["a=b": "x"], by: ["a=b"]) == #"{a\=b="x"}"#)
        #expect(NotificationGrouping.groupKey(labels: ["a": "x\ny"], by: ["a"]) == #"{a="x\ny"}"#)
    }

    @Test func groupLabelsKeepOnlyPresentGroupingLabels() {
        #expect(NotificationGrouping.groupLabels(labels: Self.labels, by: ["env", "empty", "missing"]) == ["env": "prod"])
    }
}
