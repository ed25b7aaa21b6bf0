import Foundation

/// Renders a workspace's metrics in the Prometheus text exposition format 0.0.4, which
/// `promtool check metrics` accepts and a Prometheus server can scrape.
///
/// - A family is one (ingested name, kind). Its name is sanitized (`PrometheusNaming`);
///   counters are `counter` named `<name>_total`, gauges `gauge`, timings `summary` with
///   `quantile="0.5"|"0.95"|"0.99"` samples plus `<name>_sum` and `<name>_count`.
/// - Name clashes: families claim their sample names in a fixed order — names that needed no
///   sanitizing first, then by ingested name (byte order), then counter, gauge, timing. A family
///   whose names are already taken (`a` as gauge and as timing; `a.b` and `a_b`; gauge
///   `a.count` next to timing `a`) gets the kind's suffix (`_counted`, `_gauged`, `_timed`)
///   and then `_2`, `_3`, … until none of its sample names is taken. Output never holds two
///   TYPE lines for one name, and no sample is attributed to the wrong family.
/// - Two samples of one family that end with the same labels after sanitizing: the first in
///   input order is written and the other dropped (a duplicate series would be invalid).
/// - Each family has one `# HELP` (naming the ingested name and kind) and one `# TYPE`;
///   families are in name order and samples in label order, so output is deterministic.
/// - Values: shortest round-trip decimal, integers without a fraction, `NaN`, `+Inf`, `-Inf`;
///   a summary with no points has `NaN` quantiles. Timestamps are integer milliseconds.
///
/// promtool's linter also judges naming style (units, `_count` suffixes, camelCase); names
/// that users chose are kept (only made valid), so such findings can appear for them.
public enum PrometheusExposition {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public static func render(_ samples: [PrometheusSample]) -> String {
        var out = ""
        for family in families(samples) {
            out += "# HELP \(family.name) \(escapeHelp("Vigil \(family.kind.rawValue) \(family.ingestedName)"))\n"
            out += "# TYPE \(family.name) \(typeName(family.kind))\n"
            for line in family.lines { out += line }
        }
        return out
    }

    struct Family {
        var name: String
        var ingestedName: String
        var kind: MetricKind
        var lines: [String]
    }

    static func families(_ samples: [PrometheusSample]) -> [Family] {
        var groups: [String: [MetricKind: [PrometheusSample]]] = [:]
        for sample in samples { groups[sample.name, default: [:]][sample.kind, default: []].append(sample) }
        let order: [MetricKind] = [.counter, .gauge, .timing]
        let keys = groups.flatMap { name, byKind in byKind.keys.map { (name, $0) } }.sorted { a, b in
            let cleanA = PrometheusNaming.metricName(a.0) == a.0, cleanB = PrometheusNaming.metricName(b.0) == b.0
            if cleanA != cleanB { return cleanA }
            if a.0 != b.0 { return a.0.utf8.lexicographicallyPrecedes(b.0.utf8) }
            return order.firstIndex(of: a.1)! < order.firstIndex(of: b.1)!
        }
        var taken = Set<String>()
        var result: [Family] = []
        for (ingested, kind) in keys {
            let base = claim(PrometheusNaming.metricName(ingested), kind: kind, taken: &taken)
            let exposed = PrometheusNaming.sampleNames(base: base, kind: kind)[0]
            result.append(Family(name: exposed, ingestedName: ingested, kind: kind,
                                 lines: lines(groups[ingested]![kind]!, base: base)))
        }
        return result.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// The first free base name among `base`, `base<suffix>`, `base<suffix>_2`, …; marks its names taken.
    static func claim(_ base: String, kind: MetricKind, taken: inout Set<String>) -> String {
        var candidate = base
        var n = 1
        while PrometheusNaming.sampleNames(base: candidate, kind: kind).contains(where: taken.contains) {
            candidate = base + PrometheusNaming.clashSuffix(kind) + (n == 1 ? "" : "_\(n)")
            n += 1
        }
        taken.formUnion(PrometheusNaming.sampleNames(base: candidate, kind: kind))
        return candidate
    }

    /// Sample lines of one family, sorted by label set, duplicates after sanitizing dropped.
    static func lines(_ samples: [PrometheusSample], base: String) -> [String] {
        var seen = Set<String>()
        var rendered: [(labels: String, text: String)] = []
        for sample in samples {
            let labels = PrometheusNaming.labels(sample.labels).map { "\($0.name)=\"\(escapeLabelValue($0.value))\"" }
            let key = labels.joined(separator: ",")
            guard seen.insert(key).inserted else { continue }
            let ts = sample.timestamp.map { " \(milliseconds($0))" } ?? ""
            func line(_ name: String, _ extra: [String], _ value: Double) -> String {
                let all = labels + extra
                return name + (all.isEmpty ? "" : "{" + all.joined(separator: ",") + "}") + " " + formatValue(value) + ts + "\n"
            }
            var text = ""
            switch sample.value {
            case .counter(let total):
                text = line(PrometheusNaming.sampleNames(base: base, kind: .counter)[0], [], total)
            case .gauge(let value):
                text = line(base, [], value)
            case .timing(let stats):
                for (q, v) in [("0.5", stats.p50), ("0.95", stats.p95), ("0.99", stats.p99)] {
                    text += line(base, ["quantile=\"\(q)\""], v ?? .nan)
                }
                text += line(base + "_sum", [], stats.sum)
                text += line(base + "_count", [], Double(stats.count))
            }
            rendered.append((key, text))
        }
        return rendered.sorted { $0.labels.utf8.lexicographicallyPrecedes($1.labels.utf8) }.map(\.text)
    }

    static func typeName(_ kind: MetricKind) -> String {
        switch kind {
        case .counter: "counter"
        case .gauge: "gauge"
        case .timing: "summary"
        }
    }
}
