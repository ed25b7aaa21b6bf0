/// Name rules for Prometheus text format 0.0.4.
///
/// Metric names must match `[a-zA-Z_:][a-zA-Z0-9_:]*`; colons are reserved for recording
/// rules, so exporters should not use them. Label names must match `[a-zA-Z_][a-zA-Z0-9_]*`.
enum PrometheusNaming {
    /// Every character outside `[A-Za-z0-9_]` (colons too) becomes `_`; a leading digit gets
    /// a `_` prefix; empty becomes `_`. `http.request.duration` → `http_request_duration`.
    static func metricName(_ name: String) -> String {
        var out = String(String.UnicodeScalarView(name.unicodeScalars.map { isWordChar($0) ? $0 : "_" }))
        if out.isEmpty || isDigit(out.unicodeScalars.first!) {
            out = "_" + out
        }
        return out
    }

    /// Like `metricName`; then names Prometheus reserves or lints (`quantile`, `le`, anything
    /// starting with `__`) get the prefix `tag_`, so a user's tag never poses as one of them.
    static func labelName(_ name: String) -> String {
        let base = metricName(name)
        if base == "quantile" || base == "le" || base.hasPrefix("__") { return "tag_" + base }
        return base
    }

    /// Sanitized labels in original-key byte order. When two keys sanitize to the same name
    /// (`user.id` and `user_id`), the later one gets `_2`, `_3`, … until it is unique.
    static func labels(_ labels: [String: String]) -> [(name: String, value: String)] {
        var used = Set<String>()
        var result: [(name: String, value: String)] = []
        for tag in MetricTag.sorted(labels) {
            let base = labelName(tag.key)
            var name = base
            var n = 2
            while used.contains(name) {
                name = "\(base)_\(n)"
                n += 1
            }
            used.insert(name)
            result.append((name, tag.value))
        }
        return result.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// The sample names a family of `kind` with base name `base` writes; families must not share any.
    static func sampleNames(base: String, kind: MetricKind) -> [String] {
        switch kind {
        case .counter: [base.hasSuffix("_total") ? base : base + "_total"]
        case .gauge: [base]
        case .timing: [base, base + "_sum", base + "_count"]
        }
    }

    /// Suffix for a family whose name is taken. Not the type names themselves (`_gauge`,
    /// `_counter`), which promtool's linter flags.
    static func clashSuffix(_ kind: MetricKind) -> String {
        switch kind {
        case .counter: "_counted"
        case .gauge: "_gauged"
        case .timing: "_timed"
        }
    }

    private static func isWordChar(_ s: Unicode.Scalar) -> Bool {
        s.isASCII && (s == "_" || ("a"..."z").contains(s) || ("A"..."Z").contains(s) || isDigit(s))
    }

    private static func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
}
