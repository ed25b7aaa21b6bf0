import Foundation
import Testing
import VigilCore

struct PrometheusExpositionTests {
    static let stats = MetricStats(count: 4, sum: 410.5, min: 12, max: 300, p50: 45.5, p95: 290, p99: 299.9)

    @Test func rendersEachKind() {
        let text = PrometheusExposition.render([
            PrometheusSample(name: "http.request.duration", labels: ["endpoint": "/api/users", "status": "200"],
                             value: .timing(Self.stats)),
            PrometheusSample(name: "jobs.done", value: .counter(total: 17)),
            PrometheusSample(name: "queue.depth", labels: ["queue": "mail"], value: .gauge(-2.5),
                             timestamp: Date(timeIntervalSince1970: 1_795_000_000.1234)),
        ])
        #expect(text == """
        # HELP http_request_duration Vigil timing http.request.duration
        # TYPE http_request_duration summary
        http_request_duration{endpoint="/api/users",status="200",quantile="0.5"} 45.5
        http_request_duration{endpoint="/api/users",status="200",quantile="0.95"} 290
        http_request_duration{endpoint="/api/users",status="200",quantile="0.99"} 299.9
        http_request_duration_sum{endpoint="/api/users",status="200"} 410.5
        http_request_duration_count{endpoint="/api/users",status="200"} 4
        # HELP jobs_done_total Vigil counter jobs.done
        # TYPE jobs_done_total counter
        jobs_done_total 17
        # HELP queue_depth Vigil gauge queue.depth
        # TYPE queue_depth gauge
        queue_depth{queue="mail"} -2.5 1795000000123

        """)
    }

    @Test(arguments: [
        ("http.request.duration", "http_request_duration"),
        ("a-b:c", "a_b_c"),
        ("9lives", "_9lives"),
        ("ok_name", "ok_name"),
        ("", "_"),
    ])
    func sanitizesMetricNames(_ input: String, _ expected: String) {
        let text = PrometheusExposition.render([PrometheusSample(name: input, value: .gauge(1))])
        #expect(text.contains("# TYPE \(expected) gauge\n\(expected) 1\n"))
    }

    @Test(arguments: [
        ("user.id", "user_id"), ("0day", "_0day"), ("quantile", "tag_quantile"), ("le", "tag_le"),
        ("__name__", "tag___name__"), ("a:b", "a_b"),
    ])
    func sanitizesLabelNames(_ input: String, _ expected: String) {
        let text = PrometheusExposition.render([PrometheusSample(name: "m", labels: [input: "v"], value: .gauge(1))])
        #expect(text.contains("m{\(expected)=\"v\"} 1\n"))
    }

    @Test func escapesLabelValuesAndDisambiguatesLabelNames() {
        let text = PrometheusExposition.render([
            PrometheusSample(name: "m", labels: ["path": "C:\\dir \"x\"\nnext", "user.id": "1", "user_id": "2"],
                             value: .gauge(1)),
        ])
        #expect(text.contains(#"m{path="C:\\dir \"x\"\nnext",user_id="1",user_id_2="2"} 1"#))
    }

    @Test(arguments: [
        (Double.nan, "NaN"), (.infinity, "+Inf"), (-.infinity, "-Inf"), (0, "0"), (-0.0, "0"), (3, "3"),
        (0.1, "0.1"), (1e-5, "1e-05"), (1.5e20, "1.5e+20"), (-2.25, "-2.25"), (1e15, "1000000000000000"), (1e16, "1e+16"),
    ])
    func formatsValues(_ value: Double, _ expected: String) {
        #expect(PrometheusExposition.formatValue(value) == expected)
    }

    @Test func emptySummaryHasNaNQuantiles() {
        let text = PrometheusExposition.render([PrometheusSample(name: "t", value: .timing(.empty))])
        #expect(text.contains("t{quantile=\"0.5\"} NaN\n") && text.contains("t_sum 0\nt_count 0\n"))
    }

    @Test func counterAlreadyEndingInTotalIsNotDoubled() {
        let text = PrometheusExposition.render([PrometheusSample(name: "bytes.sent_total", value: .counter(total: 5))])
        #expect(text.contains("# TYPE bytes_sent_total counter\nbytes_sent_total 5\n"))
    }

    /// One ingested name used with several kinds, and names that collide after sanitizing:
    /// each family gets distinct names by the documented rule.
    @Test func clashingFamiliesGetKindSuffixes() {
        let text = PrometheusExposition.render([
            PrometheusSample(name: "a", value: .timing(Self.stats)),
            PrometheusSample(name: "a", value: .gauge(1)),
            PrometheusSample(name: "a", value: .counter(total: 2)),
            PrometheusSample(name: "a.count", value: .gauge(3)),
            PrometheusSample(name: "b.c", value: .gauge(4)),
            PrometheusSample(name: "b_c", value: .gauge(5)),
            PrometheusSample(name: "b-c", value: .gauge(6)),
            PrometheusSample(name: "x", value: .timing(Self.stats)),
            PrometheusSample(name: "x.count", value: .gauge(7)),
        ])
        let types = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE") }
        #expect(types == [
            "# TYPE a gauge", "# TYPE a_count gauge", "# TYPE a_timed summary", "# TYPE a_total counter",
            "# TYPE b_c gauge", "# TYPE b_c_gauged gauge", "# TYPE b_c_gauged_2 gauge",
            "# TYPE x summary", "# TYPE x_count_gauged gauge",
        ])
        #expect(text.contains("b_c 5\n"))  // the name that needed no sanitizing keeps it
        #expect(text.contains("# HELP b_c_gauged Vigil gauge b-c\n"))
    }

    @Test func duplicateSeriesAfterSanitizingKeepTheFirst() {
        let text = PrometheusExposition.render([
            PrometheusSample(name: "m", labels: ["a.b": "1"], value: .gauge(1)),
            PrometheusSample(name: "m", labels: ["a_b": "1"], value: .gauge(2)),
        ])
        #expect(text.components(separatedBy: "m{a_b=\"1\"}").count == 2)
        #expect(text.contains("m{a_b=\"1\"} 1\n"))
    }

    @Test func emptyInputRendersNothing() {
        #expect(PrometheusExposition.render([]) == "")
        #expect(PrometheusExposition.contentType == "text/plain; version=0.0.4; charset=utf-8")
    }
}
