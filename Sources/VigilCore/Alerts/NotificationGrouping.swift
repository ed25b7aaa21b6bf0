/// Alerts that share the values of a workspace's grouping labels are notified together
/// (Alertmanager's `group_by`).
public enum NotificationGrouping {
    /// A stable text key such as `{env="prod",service="api"}`: the grouping keys deduplicated
    /// and sorted by UTF-8 bytes (so `by` order does not matter), each with its value quoted.
    /// A missing label and an empty one give the same key, as in Alertmanager, where both are
    /// "no value". No keys gives `{}`: one group for everything.
    ///
    /// Unambiguous: values are quoted with `\`, `"` and newline escaped, and keys have `\`,
    /// `"`, `=`, `,`, `{`, `}` and newline escaped, so no label content can forge a separator.
    public static func groupKey(labels: [String: String], by keys: [String]) -> String {
        let names = Set(keys).sorted(by: utf8Precedes)
        let parts = names.map { name in
            escape(name, special: "\\\"=,{}\n") + "=\"" + escape(labels[name] ?? "", special: "\\\"\n") + "\""
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// The labels that made the group, for the notification text; absent ones are left out.
    public static func groupLabels(labels: [String: String], by keys: [String]) -> [String: String] {
        labels.filter { Set(keys).contains($0.key) && !$0.value.isEmpty }
    }

    private static func escape(_ text: String, special: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                out += "\\n"
            } else {
                if special.unicodeScalars.contains(scalar) { out += "\\" }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
